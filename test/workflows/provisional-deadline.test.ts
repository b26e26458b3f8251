/** A deadline in a year without an official schedule is provisional, and is recomputed when the schedule arrives. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadDefaultCalendar } from "../../calendar";
import * as m from "../../workflows/messages";
import { caseInput, startHarness } from "./harness";

let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

it("moves a provisional 2027 deadline when the 2027 schedule is uploaded", async () => {
  // Skip server time to Thursday 2026-12-24 10:00 Shanghai: 10 working days reach into 2027.
  const target = Date.parse("2026-12-24T02:00:00Z");
  await h.env.sleep(Math.max(0, target - (await h.env.currentTimeMs())));
  const input = caseInput();
  const handle = await h.start(input);
  for (let i = 0; i < 100 && (await handle.query(m.stateQuery)).stage !== "transferred"; i++) await new Promise((r) => setTimeout(r, 50));
  const unit: m.Actor = { role: "unit", name: "张科员", unitId: "branch-jiefang" };
  await handle.executeUpdate(m.signUpdate, { args: [{ by: unit }] });
  const before = (await handle.query(m.stateQuery)).deadline!;
  // Fallback: weekends + statutory New Year (Fri 1/1): 12/25, 12/28–31, 1/4–1/8 → 24:00 of Fri 2027-01-08.
  expect(before).toMatchObject({ provisional: true, dueAt: "2027-01-08T16:00:00.000Z" });

  // A (made-up, test-only) 2027 schedule that also gives Monday 1/4 off.
  h.calendars.cal = loadDefaultCalendar().withSchedule(2027, { off: ["2027-01-01/2027-01-04"], work: [] });
  await handle.signal(m.calendarChangedSignal, { year: 2027 });
  let after = before;
  for (let i = 0; i < 100 && after.provisional; i++) {
    await new Promise((r) => setTimeout(r, 50));
    after = (await handle.query(m.stateQuery)).deadline!;
  }
  expect(after).toMatchObject({ provisional: false, dueAt: "2027-01-11T16:00:00.000Z" });
  await h.finish(handle);
});
