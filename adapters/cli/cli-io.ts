import { styleText } from "node:util";

/** The streams and environment the CLI talks to; tests pass in-memory ones. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

/** Text styles the CLI uses. */
export type Style = "red" | "yellow" | "green" | "cyan" | "gray" | "bold" | "magenta";

/** Paints text, or leaves it plain when colour is off. */
export type Paint = (style: Style, text: string) => string;

/** Colour on a TTY, none when piped or with NO_COLOR; FORCE_COLOR turns it on anywhere. */
export function colourFor(stream: CliIo["stdout"], env: CliIo["env"]): Paint {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0";
  const enabled = forced || (stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb");
  return enabled ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;
}
