/** The worker's workflowsPath entry: re-exports workflows only. */
export { caseWorkflow } from "./case.workflow";
export { reportWorkflow } from "./report.workflow";
