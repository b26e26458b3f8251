/**
 * The handling deadline's four-colour ledger as one clock (in the spirit of the samples'
 * UpdatableTimer): it sleeps until the ledger's next change and re-arms whenever the deadline,
 * the colour or the stage moves, so signing, an extension, a recomputed calendar and a reopening
 * all go through the same place.
 */
import { condition } from "@temporalio/workflow";
import type { CaseRun } from "./case-run";
import { nextLedgerTick } from "./case-state";
import { ledgerKey, ledgerStep } from "./case-steps";

/** The ledger clock of one run. */
export class DeadlineClock {
  constructor(private readonly caseRun: CaseRun) {}

  /** Runs for the rest of the run: each tick applies the ledger's change under the case lock. */
  async run(): Promise<void> {
    const s = this.caseRun.state;
    for (;;) {
      const key = ledgerKey(s);
      const moved = () => ledgerKey(s) !== key;
      const at = nextLedgerTick(s, Date.now());
      if (at === undefined) await condition(moved);
      else if (!(await condition(moved, Math.max(1, at - Date.now()))))
        await this.caseRun.exclusive(() => this.caseRun.enqueue(ledgerStep(s, Date.now(), this.caseRun.now())));
    }
  }
}
