/** Intake in one activity: the routing decision and, for an accepted order, its signing deadline. */
import type { OrderSummary } from "../workflows/contract";
import type { DeadlineInfo } from "../workflows/case-state";
import { createCalendarActivities } from "./calendar";
import type { CalendarStore } from "./calendar-store";
import { createRoutingActivities, type Acceptance, type RoutingRules } from "./routing";

/** The routing decision with the signing deadline of an accepted order. */
export interface RoutedOrder {
  acceptance: Acceptance;
  /** The unit's signing deadline (art. 6), counted from `signing.startAt`; absent when the order is returned. */
  signDeadline?: DeadlineInfo;
}

/** Intake activities: one task where acceptance and the calendar were two (patch `intake-one-activity`). */
export function createIntakeActivities(deps: { calendars: CalendarStore }, rules?: RoutingRules) {
  const { acceptOrder } = createRoutingActivities(rules);
  const { computeDeadline } = createCalendarActivities(deps);
  return {
    /** Accept or return an order, choose its unit and compute when the unit must sign. */
    async routeOrder(input: { caseId: string; order: OrderSummary; signing: { startAt: string; days: number } }): Promise<RoutedOrder> {
      const acceptance = await acceptOrder(input);
      return acceptance.accepted ? { acceptance, signDeadline: await computeDeadline(input.signing) } : { acceptance };
    },
  };
}
