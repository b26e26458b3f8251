/**
 * Real evidence files for the tests, made with sharp: a JPEG carrying GPS EXIF and a rotated
 * orientation, a PNG, a minimal PDF, a HEIC signature, and helpers to upload and to drive a case.
 */
import sharp from "sharp";

/** The GPS datum string written into the JPEG's GPS IFD: its presence in bytes shows the location data is there. */
export const GPS_MARK = "WGS-84-EVIDENCE-TEST";

/** A 64×48 JPEG with a GPS location (IFD3) and EXIF orientation 6 (display rotated 90°). */
export async function jpegWithGps(shade = 120): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 80, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: "TestCam" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 14/1 30/1", GPSLongitudeRef: "E", GPSLongitude: "113/1 14/1 0/1", GPSMapDatum: GPS_MARK },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** A small PNG. */
export function png(): Promise<Buffer> {
  return sharp({ create: { width: 20, height: 10, channels: 4, background: { r: 0, g: 128, b: 255, alpha: 1 } } })
    .png()
    .toBuffer();
}

/** A minimal one-page PDF. */
export function pdf(): Buffer {
  return Buffer.from(
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
      "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  );
}

/** The start of a HEIC file (ISO BMFF `ftyp` box, brand heic): what an iPhone photo begins with. */
export function heicHeader(): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypheic"), Buffer.from([0, 0, 0, 0]), Buffer.from("mif1heic")]);
  return Buffer.concat([ftyp, Buffer.alloc(256, 1)]);
}

/** Whether the bytes contain a string. */
export const contains = (bytes: Buffer, s: string) => bytes.includes(Buffer.from(s));

/** Uploads a file as multipart/form-data (field `file`, optional stage and note). */
export async function uploadEvidence(
  base: string,
  caseId: string,
  token: string | null,
  bytes: Buffer,
  name: string,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob([bytes]), name);
  const res = await fetch(`${base}/api/cases/${caseId}/evidence`, {
    method: "POST",
    body: form,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

/** GETs a path and answers its status, headers and bytes. */
export async function download(base: string, path: string, token: string | null) {
  const res = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get("content-type"), bytes, json: () => JSON.parse(bytes.toString()) };
}
