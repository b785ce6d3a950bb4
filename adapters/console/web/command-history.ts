// The commands typed before, newest last, kept in the browser so they survive a reload.

const storageKey = "egress-console-history";
const limit = 100;

/** Up/down recall for the command box. */
export class CommandHistory {
  private readonly entries: string[];
  private position: number;

  constructor(private readonly storage: Storage = window.localStorage) {
    let saved: unknown = [];
    try {
      saved = JSON.parse(storage.getItem(storageKey) ?? "[]");
    } catch {
      saved = [];
    }
    this.entries = Array.isArray(saved)
      ? saved.filter((entry): entry is string => typeof entry === "string").slice(-limit)
      : [];
    this.position = this.entries.length;
  }

  get all(): readonly string[] {
    return this.entries;
  }

  add(command: string): void {
    if (command.trim() === "") return;
    if (this.entries[this.entries.length - 1] !== command) this.entries.push(command);
    if (this.entries.length > limit) this.entries.shift();
    this.position = this.entries.length;
    this.storage.setItem(storageKey, JSON.stringify(this.entries));
  }

  /** The entry before the current one, or null at the oldest. */
  previous(): string | null {
    if (this.position === 0) return null;
    this.position--;
    return this.entries[this.position] ?? null;
  }

  /** The entry after the current one; an empty box after the newest. */
  next(): string {
    if (this.position < this.entries.length) this.position++;
    return this.entries[this.position] ?? "";
  }
}
