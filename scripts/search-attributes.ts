/** Registers the project's custom search attributes on a Temporal server (idempotent). */
import type { Connection } from "@temporalio/client";
import proto from "@temporalio/proto";

// @temporalio/proto is CommonJS: Node's ESM loader sees only its default export.
const { temporal } = proto;
import { SEARCH_ATTRIBUTES } from "../workflows/contract";

const TYPES = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
} as const;

/** Adds any missing custom search attribute of SEARCH_ATTRIBUTES to the namespace. */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const searchAttributes: Record<string, number> = {};
  for (const key of SEARCH_ATTRIBUTES) searchAttributes[key.name] = TYPES[key.type as keyof typeof TYPES];
  let existing: Record<string, unknown> = {};
  try {
    existing = (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch {
    /* servers without the list call: add and tolerate "already exists" */
  }
  const missing = Object.fromEntries(Object.entries(searchAttributes).filter(([name]) => !(name in existing)));
  if (Object.keys(missing).length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (e) {
    if (!/already exists/i.test((e as Error).message)) throw e;
  }
  return Object.keys(missing);
}
