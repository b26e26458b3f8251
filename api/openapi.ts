/** The OpenAPI 3.1 document, generated from the routes' zod schemas as they register. */
import { z } from "zod";
import { errorSchema } from "./errors";

interface RouteDoc {
  method: "get" | "post" | "put" | "delete";
  path: string;
  summary: string;
  roles: string[];
  body?: z.ZodType;
  query?: z.ZodType;
  response?: z.ZodType;
  /** Request headers the route reads. */
  headers?: Array<{ name: string; description: string; schema: Record<string, unknown> }>;
  /** Success statuses (default 200). */
  statuses?: string[];
  /** A multipart/form-data body instead of JSON: its fields' schema, file fields as binary strings. */
  multipart?: { fields: z.ZodType; files: string[] };
  /** Media types of a binary success answer instead of JSON. */
  binary?: string[];
}
const routes: RouteDoc[] = [];

/** Records a route for the document (called once per route at app construction). */
export function register(doc: RouteDoc): void {
  if (!routes.some((r) => r.method === doc.method && r.path === doc.path)) routes.push(doc);
}

const schema = (t: z.ZodType) => z.toJSONSchema(t, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Record<string, unknown>;

/** A multipart body's schema: the form fields plus the required file parts. */
function multipartSchema(m: NonNullable<RouteDoc["multipart"]>): Record<string, unknown> {
  const fields = schema(m.fields) as { properties?: Record<string, unknown>; required?: string[] };
  return {
    type: "object",
    properties: { ...fields.properties, ...Object.fromEntries(m.files.map((f) => [f, { type: "string", format: "binary" }])) },
    required: [...(fields.required ?? []), ...m.files],
  };
}

/** Builds the OpenAPI 3.1 document. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((mm) => ({ name: mm[1], in: "path", required: true, schema: { type: "string" } }));
    const query = r.query
      ? Object.entries((schema(r.query).properties ?? {}) as Record<string, unknown>).map(([name, sch]) => ({
          name,
          in: "query",
          required: false,
          schema: sch,
        }))
      : [];
    const headers = (r.headers ?? []).map((h) => ({ ...h, in: "header", required: false }));
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary,
      description: `Roles: ${r.roles.join(", ")}`,
      ...(params.length + query.length + headers.length ? { parameters: [...params, ...query, ...headers] } : {}),
      ...(r.body ? { requestBody: { required: true, content: { "application/json": { schema: schema(r.body) } } } } : {}),
      ...(r.multipart ? { requestBody: { required: true, content: { "multipart/form-data": { schema: multipartSchema(r.multipart) } } } } : {}),
      security: r.roles.includes("anyone") ? [] : [{ bearer: [] }],
      responses: {
        ...Object.fromEntries(
          (r.statuses ?? ["200"]).map((code) => [
            code,
            // 204 carries no body.
            code === "204"
              ? { description: "No Content" }
              : r.binary
                ? { description: "OK", content: Object.fromEntries(r.binary.map((t) => [t, { schema: { type: "string", format: "binary" } }])) }
                : { description: "OK", content: { "application/json": { schema: r.response ? schema(r.response) : {} } } },
          ]),
        ),
        default: { description: "Error", content: { "application/json": { schema: schema(errorSchema) } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Hotline environmental complaint cases", version: "0.1.0" },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}
