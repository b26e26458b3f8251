/**
 * An uploaded evidence file made safe to keep: its type sniffed from the content (never the name),
 * images decoded and re-encoded by sharp (libvips), which turns them upright by their EXIF
 * orientation and drops all metadata, EXIF location included; a thumbnail for images. PDFs are
 * checked by their signature and kept as they are (their metadata is not rewritten).
 */
import type { EvidenceMime } from "../workflows/case-evidence";
import { HttpError } from "./errors";

/** A file ready for the store: its (re-encoded) bytes, type and thumbnail. */
export interface PreparedEvidence {
  mime: EvidenceMime;
  bytes: Buffer;
  thumbnail?: Buffer;
}

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320;
// Decompression bombs: an image beyond this many pixels is refused before it is decoded in full.
const MAX_PIXELS = 50_000_000;

const unsupported = (what: string) =>
  new HttpError(415, "unsupported_media_type", `${what}: evidence must be a JPEG or PNG image or a PDF document (the content decides, not the name)`);

// Loaded on the first upload, not at start-up (libvips and the sniffer take a moment to load).
const libs = () => Promise.all([import("file-type"), import("sharp")]).then(([ft, sh]) => ({ fileTypeFromBuffer: ft.fileTypeFromBuffer, sharp: sh.default }));

/** Sniffs, checks and cleans an uploaded file; throws HttpError 415/413/422 for what cannot be kept. */
export async function prepareEvidence(upload: Buffer): Promise<PreparedEvidence> {
  const { fileTypeFromBuffer } = await libs();
  const type = await fileTypeFromBuffer(upload);
  switch (type?.mime) {
    case "image/jpeg":
    case "image/png":
      return prepareImage(upload, type.mime);
    case "application/pdf":
      // A PDF starts with its header within the first 1024 bytes (ISO 32000-1, 7.5.2); file-type requires it at 0.
      return { mime: "application/pdf", bytes: upload };
    case "image/heic":
    case "image/heif":
      // The bundled libvips decodes HEIF only with AV1 (AVIF), not HEVC: a HEIC photo can be neither
      // thumbnailed nor cleaned of its location here, so it is refused rather than kept with it.
      throw new HttpError(415, "heic_unsupported", "HEIC photos are not accepted (their location data cannot be removed here): export the photo as JPEG");
    default:
      throw unsupported(type ? `the content is ${type.mime}` : "the content type is not recognised");
  }
}

async function prepareImage(upload: Buffer, mime: "image/jpeg" | "image/png"): Promise<PreparedEvidence> {
  const { sharp } = await libs();
  try {
    // rotate() without an angle applies the EXIF orientation; re-encoding keeps no metadata (sharp's default).
    const image = sharp(upload, { limitInputPixels: MAX_PIXELS, failOn: "error" }).rotate();
    const bytes = mime === "image/jpeg" ? await image.jpeg({ quality: 90 }).toBuffer() : await image.png().toBuffer();
    const thumbnail = await sharp(bytes).resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "inside", withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
    return { mime, bytes, thumbnail };
  } catch (e) {
    const message = (e as Error).message ?? "";
    if (/pixel limit/i.test(message)) throw new HttpError(413, "image_too_large", `the image has more than ${MAX_PIXELS} pixels`);
    throw new HttpError(422, "unreadable_image", "the image could not be decoded");
  }
}
