/** Prints one JSON document on stdout, for scripts. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Prints a line for people on stdout. */
export function printLine(text: string): void {
  process.stdout.write(text + '\n');
}
