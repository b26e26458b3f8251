/** Load-generation helpers for benchmarks and drills: open-loop rates, bounded concurrency, percentiles. */

/** Percentile (nearest rank) of sorted or unsorted numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/**
 * Fires `fn(i)` at `rate` per second for `seconds` (open loop), with at most `maxInFlight` requests
 * outstanding: a request due while that many are pending is shed (counted, not sent), so an
 * overloaded system shows as shed load instead of an unbounded queue. Resolves when all settle.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  fn: (i: number) => Promise<void>,
  maxInFlight = 512,
): Promise<{ issued: number; shed: number; wallMs: number }> {
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  const pending = new Set<Promise<void>>();
  let shed = 0;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (pending.size >= maxInFlight) {
      shed++;
      continue;
    }
    const p: Promise<void> = fn(i)
      .catch(() => undefined)
      .then(() => {
        pending.delete(p);
      });
    pending.add(p);
  }
  await Promise.all(pending);
  return { issued: total - shed, shed, wallMs: performance.now() - t0 };
}

/** Runs `fn` over 0..n-1 with at most `concurrency` in flight. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** A JSON call to the API. */
export async function api(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let counter = 0;
/** A valid work order with a unique order number and subject (so no repeat detection joins it). */
export function benchOrder(prefix: string, over: Record<string, unknown> = {}) {
  const tag = `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  return {
    orderNo: tag,
    sourceLine: "12345",
    channel: "phone",
    kind: "complaint",
    receivedAt: new Date().toISOString(),
    district: "解放区",
    address: `建设路${tag}号`,
    subject: { name: `企业${tag}`, type: "enterprise" },
    elements: ["air"],
    industry: "化工",
    description: "夜间排放刺鼻气体",
    reporter: { anonymous: false, name: "王小明", phone: "13812345678", realName: true },
    attachments: [],
    ...over,
  };
}

/** Development tokens. */
export const devTokens = {
  integration: "dev-integration-token",
  supervisor: "dev-supervisor-token",
  unit: "dev-unit-branch-jiefang-token",
};

/** A valid on-site investigation record (a violation found, no enterprise entered), for the drivers and the tests. */
export const investigationBody = {
  subjectName: "化工厂",
  address: "建设路",
  facts: "夜间排放",
  productionStatus: "生产中",
  controlFacilities: "未运行",
  discharges: "废气",
  cause: "设施故障",
  violationFound: true,
  enterpriseEntered: false,
};
