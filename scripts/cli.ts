/** Command-line entry point: `npx tsx scripts/cli.ts <command> [args…]`; add commands to the `commands` map. */
import { pathToFileURL } from "node:url";
import { calendarCommands, UsageError, type CliCommand } from "../calendar/cli-commands.ts";

/** Every CLI command by name. */
export const commands: Readonly<Record<string, CliCommand>> = { ...calendarCommands };

/** Run one command line; returns the exit code (2 for usage errors). */
export async function main(argv: readonly string[]): Promise<number> {
  const [name = "", ...args] = argv;
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(
      `usage: cli.ts <command> [args…]\n${Object.entries(commands)
        .map(([n, c]) => `  ${n} ${c.usage}  — ${c.summary}`)
        .join("\n")}\n`,
    );
    return 2;
  }
  try {
    const lines: string[] = [];
    await command.run(args, (line) => lines.push(line));
    process.stdout.write(lines.length ? lines.join("\n") + "\n" : "");
    return 0;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`${e.message}\nusage: cli.ts ${name} ${command.usage}\n`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main(process.argv.slice(2));
