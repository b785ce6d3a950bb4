/**
 * A token credential for simulated Azure: the SDK clients still run their bearer-token policy, but no
 * identity is involved. Shaped like `TokenCredential` without importing it (simulated stays SDK-free).
 */
export const simulatedCredential = {
  getToken: (): Promise<{ token: string; expiresOnTimestamp: number }> =>
    Promise.resolve({ token: "simulated-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** The subscriptions a world's resources live in. */
export function worldSubscriptions(resourceIds: readonly string[]): string[] {
  const found = new Map<string, string>();
  for (const id of resourceIds) {
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(id)?.[1];
    if (subscription) found.set(subscription.toLowerCase(), subscription);
  }
  return [...found.values()];
}
