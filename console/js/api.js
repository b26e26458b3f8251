// The JSON API on the same origin, called with the bearer token kept in sessionStorage (this tab
// only; closing it signs out). Errors come back as { code, message, details } and are thrown as
// ApiError.

const TOKEN_KEY = "hotline.console.token";
const ME_KEY = "hotline.console.me";

export const session = {
  token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  me() {
    try {
      return JSON.parse(sessionStorage.getItem(ME_KEY) ?? "null");
    } catch {
      return null;
    }
  },
  start(token, me) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(ME_KEY, JSON.stringify(me));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ME_KEY);
  },
};

/** An error answer of the API (or of the network). */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? (status ? `http_${status}` : "network");
    this.details = body?.details;
  }
}

/** Calls the API; resolves with the parsed JSON body, rejects with ApiError. */
export async function api(method, path, body, token = session.token()) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: {
        accept: "application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
  } catch (e) {
    throw new ApiError(0, { code: "network", message: `无法连接服务器：${e?.message ?? e}` });
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { code: "bad_response", message: text.slice(0, 200) };
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

/** GET with query parameters (undefined and empty values left out). */
export function get(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const qs = q.toString();
  return api("GET", qs ? `${path}?${qs}` : path);
}

/** Working days of a year (cached per page load): Map "YYYY-MM-DD" → working. */
const calendars = new Map();
export function calendarYear(year) {
  if (!calendars.has(year)) {
    const p = get(`/api/calendar/${year}`).then((c) => new Map(c.days.map((d) => [d.date, d.working])));
    p.catch(() => calendars.delete(year));
    calendars.set(year, p);
  }
  return calendars.get(year);
}

/**
 * Opens (token given) or ends the codec session: an HttpOnly cookie that only the codec endpoint
 * receives, so the Temporal UI under /temporal/ shows decoded payloads to a signed-in supervisor.
 * Best effort: the console works without it.
 */
export async function codecSession(token) {
  await fetch("/api/session", {
    method: token ? "POST" : "DELETE",
    headers: token ? { authorization: `Bearer ${token}` } : {},
    credentials: "same-origin",
    cache: "no-store",
  }).catch(() => undefined);
}
