import { AsyncLocalStorage } from "node:async_hooks";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

// `@azure/monitor-query-logs` takes an `abortSignal` option but does not put it on its HTTP request,
// so a cancelled query ran on, and a hung one kept the process alive past its deadline. Calls made
// inside `withAbortSignal` get the signal onto every request they send, through this policy.
const scope = new AsyncLocalStorage<AbortSignal>();

/** Runs `call` so that every request it sends through a client with {@link abortScopePolicy} carries `signal`. */
export function withAbortSignal<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  return signal ? scope.run(signal, call) : call();
}

/** Puts the signal of the enclosing {@link withAbortSignal} on a request that has none. */
export const abortScopePolicy: PipelinePolicy = {
  name: "egressAbortScopePolicy",
  sendRequest(request, next) {
    const signal = scope.getStore();
    if (signal && !request.abortSignal) request.abortSignal = signal;
    return next(request);
  },
};
