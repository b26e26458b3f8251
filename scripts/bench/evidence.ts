/**
 * Benchmark: preparing an uploaded photo as the API does (content sniffing, EXIF-orientation turn,
 * re-encoding without metadata, thumbnail) for a 12-megapixel JPEG (4000×3000, a phone photo) and a
 * 2-megapixel one, on one core; prints milliseconds per file. `npm run bench -- evidence [--quick]`.
 */
import sharp from "sharp";
import { prepareEvidence } from "../../api/evidence-file.ts";

/** A photo-like JPEG (noise, so it compresses like a real photo) with a GPS EXIF entry. */
async function photo(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < pixels.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    pixels[i] = ((seed >>> 24) & 0x3f) | (i % 3 === 0 ? 0x80 : 0x40);
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .withExif({ IFD3: { GPSLatitudeRef: "N", GPSLatitude: "35/1 14/1 30/1", GPSMapDatum: "WGS-84" } })
    .toBuffer();
}

/** Median, best and worst milliseconds of preparing each photo size. */
export async function run(opts: { quick: boolean }): Promise<Record<string, unknown>> {
  sharp.concurrency(1);
  const rounds = opts.quick ? 3 : 9;
  const out: Record<string, unknown> = {};
  for (const [name, w, h] of [
    ["12mp", 4000, 3000],
    ["2mp", 1600, 1200],
  ] as const) {
    const input = await photo(w, h);
    await prepareEvidence(input); // warm-up
    const ms: number[] = [];
    let last = { bytes: 0, thumb: 0 };
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      const p = await prepareEvidence(input);
      ms.push(performance.now() - t);
      last = { bytes: p.bytes.length, thumb: p.thumbnail?.length ?? 0 };
    }
    ms.sort((a, b) => a - b);
    out[name] = {
      inputBytes: input.length,
      outputBytes: last.bytes,
      thumbnailBytes: last.thumb,
      msMedian: Math.round(ms[ms.length >> 1]!),
      msBest: Math.round(ms[0]!),
      msWorst: Math.round(ms.at(-1)!),
    };
  }
  return out;
}

/** One line per size. */
export function summary(r: Record<string, unknown>): string {
  return Object.entries(r)
    .map(([k, v]) => {
      const x = v as { inputBytes: number; msMedian: number; msBest: number; msWorst: number; thumbnailBytes: number };
      return `evidence ${k} JPEG (${Math.round(x.inputBytes / 1024)} KiB): prepared in ${x.msMedian} ms median (best ${x.msBest}, worst ${x.msWorst}) on one libvips thread; thumbnail ${Math.round(x.thumbnailBytes / 1024)} KiB`;
    })
    .join("\n");
}
