// ESLint: TypeScript with type information (floating promises are errors), and determinism rules
// for workflow code: no Node built-ins, no I/O libraries, no runtime imports of activities.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { builtinModules } from "node:module";
import globals from "globals";

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ["node_modules/**", "generated/**", ".data/**", ".tools/**", "bench-results/**", "test-artifacts/**", "console/vendor/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ["*.js"] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: false }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: ["console/**/*.js"], languageOptions: { globals: globals.browser } },
  {
    files: ["workflows/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: nodeBuiltins.map((name) => ({ name, message: "workflow code must be deterministic: no Node built-ins" })),
          patterns: [
            {
              group: ["@prisma/*", "pg", "express", "date-holidays", "zod", "uuid", "axios", "node-fetch"],
              message: "no I/O or heavy libraries in workflow code: use an activity",
            },
            {
              group: ["../activities", "../activities/*", "../calendar", "../calendar/*", "../db/*", "../api/*"],
              allowTypeImports: true,
              message: "workflows may import activities and services as types only",
            },
            {
              group: ["@temporalio/worker", "@temporalio/client", "@temporalio/activity", "@temporalio/testing"],
              message: "workflow code imports @temporalio/workflow only",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "setTimeout", message: "use sleep() or condition() from @temporalio/workflow" },
        { name: "setInterval", message: "use sleep() in a loop" },
        { name: "process", message: "no process access in workflow code" },
        { name: "require", message: "no dynamic requires in workflow code" },
      ],
    },
  },
);
