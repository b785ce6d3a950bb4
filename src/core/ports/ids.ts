/** Identifier source, injected so tests can pin run ids. */
export interface IdSource {
  /** A new unique run id. */
  newRunId(): string;
}
