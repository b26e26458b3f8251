/**
 * Acceptance and routing (arts. 5–6): orders outside the bureau's remit or jurisdiction are
 * returned; the rest go by district to a branch, city-level matters to a section by element.
 */
import type { OrderSummary } from "../workflows/contract";
import rules from "../config/routing.json" with { type: "json" };

/** Routing rules as data (config/routing.json). */
export interface RoutingRules {
  districts: Record<string, string>;
  cityLevelDistricts: string[];
  sectionsByElement: Record<string, string>;
  outsideRemitElements: string[];
}

/** The bureau's routing decision for an order. */
export interface Acceptance {
  accepted: boolean;
  reason?: string;
  unitId?: string;
}

/** Decides acceptance and the handling unit from the rules; pure. */
export function decideAcceptance(order: OrderSummary, r: RoutingRules = rules): Acceptance {
  if (order.elements.every((e) => r.outsideRemitElements.includes(e)))
    return { accepted: false, reason: "outside the bureau's remit: not an environmental pollution matter" };
  if (r.cityLevelDistricts.includes(order.district)) {
    const element = order.elements.find((e) => r.sectionsByElement[e]);
    return element ? { accepted: true, unitId: r.sectionsByElement[element] } : { accepted: false, reason: "no section handles these elements" };
  }
  const unitId = r.districts[order.district];
  if (!unitId) return { accepted: false, reason: `outside the bureau's jurisdiction: ${order.district}` };
  return { accepted: true, unitId };
}

/** Every handling unit id named by the rules. */
export function knownUnits(r: RoutingRules = rules): string[] {
  return [...new Set([...Object.values(r.districts), ...Object.values(r.sectionsByElement)])];
}

/** Routing activities. */
export function createRoutingActivities(r: RoutingRules = rules) {
  return {
    /** Accept or return an order, and choose its unit. */
    async acceptOrder(input: { caseId: string; order: OrderSummary }): Promise<Acceptance> {
      return decideAcceptance(input.order, r);
    },
  };
}
