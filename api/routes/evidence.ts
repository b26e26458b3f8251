/**
 * Evidence files (佐证材料): the case's unit uploads a file (multipart, field `file`); the API checks
 * and cleans it (api/evidence-file.ts), stores the bytes by content hash, then records only the hash
 * and metadata in the case's workflow. Reading: the case's unit and supervisors with a token, or
 * anyone with an unexpired signed link (what platform feedback carries); anyone else gets 404.
 */
import { createHash } from "node:crypto";
import { Router, type NextFunction, type Request, type Response } from "express";
import multer from "multer";
import { ACTIONS, allowedActions } from "../../workflows/case-rules";
import * as m from "../../workflows/messages";
import { checkEvidenceLink } from "../../security/evidence-links";
import { actorOf, assertCaseScope, requireRole } from "../auth";
import type { AppDeps } from "../deps";
import { prepareEvidence } from "../evidence-file";
import { evidenceFormSchema, evidenceIdSchema, evidenceLinkQuerySchema, evidenceUploadResponseSchema } from "../evidence-schemas";
import { HttpError } from "../errors";
import { claimKey, idempotencyKeyOf, requestHash } from "../idempotency";
import { IDEMPOTENCY_HEADER_DOC } from "./cases";
import { register } from "../openapi";
import { rateLimit } from "../rate-limit";
import * as s from "../schemas";
import { sha256Hex } from "../../storage/evidence-store";

const EXTENSIONS: Record<string, string> = { "image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf" };
const notFound = () => new HttpError(404, "evidence_not_found", "no such evidence file");

/** The evidence id of a file in a case: the same file attached to a case twice is one item. */
export function evidenceIdOf(caseId: string, sha256: string): string {
  return `ev-${createHash("sha256").update(`${caseId}:${sha256}`).digest("hex").slice(0, 32)}`;
}

/** The evidence routes: upload under /api/cases/{caseId}/evidence, download under /api/evidence/{id}. */
export function evidenceRouter(deps: AppDeps): Router {
  const r = Router();
  const maxBytes = deps.config.EVIDENCE_MAX_BYTES;
  // One file part and a few short fields, held in memory up to the configured size.
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 4096, parts: 6 } }).single("file");
  const parseForm = (req: Request, res: Response) =>
    new Promise<void>((resolve, reject) =>
      upload(req, res, (e?: unknown) => {
        if (!e) return resolve();
        const code = (e as { code?: string }).code;
        if (code === "LIMIT_FILE_SIZE") return reject(new HttpError(413, "file_too_large", `an evidence file is at most ${maxBytes} bytes`));
        // Anything else multer or busboy refuses is a malformed form: the client's mistake.
        reject(new HttpError(400, "invalid_multipart", `the form is not acceptable: ${(e as Error).message ?? "malformed"}`.slice(0, 300)));
      }),
    );
  const uploaders = requireRole(deps.tokens, ...ACTIONS.attachEvidence.roles);
  const readers = requireRole(deps.tokens, "integration", "unit", "dispatcher", "supervisor", "admin");
  const actionLimit = rateLimit("case actions", deps.config.ACTION_RATE_PER_MINUTE);

  register({
    method: "post",
    path: "/api/cases/{caseId}/evidence",
    summary: "Attach an evidence file (佐证材料): JPEG, PNG (location and all metadata removed) or PDF; the content decides the type",
    roles: [...ACTIONS.attachEvidence.roles],
    multipart: { fields: evidenceFormSchema, files: ["file"] },
    response: evidenceUploadResponseSchema,
    statuses: ["201"],
    headers: [IDEMPOTENCY_HEADER_DOC],
  });
  r.post("/api/cases/:caseId/evidence", uploaders, actionLimit, async (req, res) => {
    const key = idempotencyKeyOf(req.get("idempotency-key"));
    const caseId = s.caseIdSchema.parse(req.params.caseId);
    const p = req.principal!;
    const handle = deps.temporal.workflow.getHandle(caseId);
    // Scope and stage before the body is read: another unit learns nothing, and no bytes are kept for a case that cannot take them.
    const state = await handle.query(m.stateQuery);
    assertCaseScope(p, state.unitId);
    if (!allowedActions(state, p, Date.now()).includes("attachEvidence"))
      throw new HttpError(409, "invalid_state", `evidence can be attached while the case is being handled, not in stage ${state.stage}`);
    if (!req.is("multipart/form-data")) throw new HttpError(415, "multipart_required", "send the file as multipart/form-data in a `file` part");
    await parseForm(req, res);
    const form = evidenceFormSchema.parse({ ...req.body });
    if (!req.file) throw new HttpError(400, "file_required", "the form needs a `file` part");
    const prepared = await prepareEvidence(req.file.buffer);
    const sha256 = sha256Hex(prepared.bytes);
    // Bytes first (idempotent by hash), then the record: the workflow never holds a hash whose object is missing.
    await deps.evidence.put(sha256, "original", prepared.bytes);
    if (prepared.thumbnail) await deps.evidence.put(sha256, "thumbnail", prepared.thumbnail);
    const input: m.EvidenceInput & { seal: string } = {
      by: actorOf(p),
      evidenceId: evidenceIdOf(caseId, sha256),
      sha256,
      mime: prepared.mime,
      size: prepared.bytes.length,
      thumbnail: !!prepared.thumbnail,
      ...form,
      seal: deps.seal(caseId),
    };
    // As on every action: the key is bound to (person, case, action, request: here the stored file and the form).
    if (key) await claimKey(deps.prisma, { principal: p.name, key, caseId, action: "attachEvidence", bodyHash: requestHash({ sha256, form }) });
    const item = await handle.executeUpdate(m.attachEvidenceUpdate, { args: [input], ...(key ? { updateId: `${p.name}:${key}` } : {}) });
    res.status(201).json({ ...item, url: `/api/evidence/${item.id}`, ...(item.thumbnail ? { thumbnailUrl: `/api/evidence/${item.id}/thumbnail` } : {}) });
  });

  /** Who may read: a valid signed link, or a token of the case's unit or a supervisor; the item's row either way. */
  async function readable(req: Request, res: Response, next: NextFunction) {
    try {
      const id = evidenceIdSchema.safeParse(req.params.id);
      const q = evidenceLinkQuerySchema.parse(req.query);
      if (q.exp !== undefined || q.sig !== undefined) {
        if (q.exp === undefined || q.sig === undefined) throw new HttpError(400, "invalid_link", "a signed link carries both exp and sig");
        const refused = id.success ? checkEvidenceLink(deps.evidenceLinks.secret, id.data, q.exp, q.sig) : "invalid";
        if (refused === "expired") throw new HttpError(403, "link_expired", "the link has expired; ask the handling unit for a new one");
        if (refused) throw new HttpError(403, "link_invalid", "the link's signature is not valid");
        const row = await deps.prisma.evidence.findUnique({ where: { id: id.data! } });
        if (!row) throw notFound();
        res.locals.evidence = row;
        return next();
      }
      await new Promise<void>((resolve, reject) => readers(req, res, (e?: unknown) => (e ? reject(e) : resolve())));
      if (!id.success) throw notFound();
      const p = req.principal!;
      // Evidence is a handling record: the case's unit and supervisors see it (as in the case view); to anyone else it does not exist.
      if (p.role !== "unit" && p.role !== "supervisor") throw notFound();
      const row = await deps.prisma.evidence.findUnique({ where: { id: id.data }, include: { case: { select: { unitId: true } } } });
      if (!row) throw notFound();
      try {
        assertCaseScope(p, row.case.unitId);
      } catch {
        throw notFound();
      }
      res.locals.evidence = row;
      next();
    } catch (e) {
      next(e);
    }
  }

  const serve = (variant: "original" | "thumbnail") => async (_req: Request, res: Response) => {
    const row = res.locals.evidence as { id: string; sha256: string; mime: string; thumbnail: boolean };
    if (variant === "thumbnail" && !row.thumbnail) throw new HttpError(404, "no_thumbnail", "only images have a thumbnail");
    const bytes = await deps.evidence.get(row.sha256, variant);
    if (!bytes) throw new HttpError(500, "evidence_missing", "the evidence file is missing from the store");
    const type = variant === "thumbnail" ? "image/jpeg" : row.mime;
    const name = `${row.id}${variant === "thumbnail" ? "-thumb" : ""}.${EXTENSIONS[type] ?? "bin"}`;
    // A served PDF runs nothing: sandboxed, no sub-resources.
    res.set({ "content-type": type, "content-disposition": `inline; filename="${name}"`, "content-security-policy": "sandbox; default-src 'none'" });
    res.send(bytes);
  };

  const linkQuery = { query: evidenceLinkQuerySchema, roles: ["unit", "supervisor", "anyone with a signed link"] };
  register({
    method: "get",
    path: "/api/evidence/{id}",
    summary: "An evidence file, to the case's unit and supervisors, or with an unexpired signed link (exp, sig) from platform feedback",
    ...linkQuery,
    binary: ["image/jpeg", "image/png", "application/pdf"],
  });
  r.get("/api/evidence/:id", readable, serve("original"));
  register({ method: "get", path: "/api/evidence/{id}/thumbnail", summary: "An image evidence file's JPEG thumbnail", ...linkQuery, binary: ["image/jpeg"] });
  r.get("/api/evidence/:id/thumbnail", readable, serve("thumbnail"));
  return r;
}
