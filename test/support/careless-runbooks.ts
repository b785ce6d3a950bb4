import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HttpClient } from "@azure/core-rest-pipeline";

/**
 * Runbooks a careless (or hostile) author could write, for the security tests: `read-anything`
 * reads whatever resource ID its input carries; `loop-forever` has a condition that would loop for
 * minutes without the expression budget. Written into `folder`.
 */
export function writeCarelessRunbooks(folder: string): void {
  const header = (name: string) => [
    "apiVersion: egress.runbooks/v1",
    "kind: Runbook",
    `metadata: { name: ${name}, title: ${name}, description: A careless runbook., version: 1.0.0 }`,
    "spec:",
  ];
  writeFileSync(
    join(folder, "read-anything.yaml"),
    [
      ...header("read-anything"),
      "  inputs:",
      "    id: { type: string, required: true, description: A resource ID }",
      "  steps:",
      "    - id: read",
      "      uses: azure.resource.get",
      "      with: { resourceId: '${{ inputs.id }}' }",
      "      retry: { attempts: 1 }",
    ].join("\n"),
  );
  const hundred = `[${Array.from({ length: 100 }, (_, index) => index).join(",")}]`;
  writeFileSync(
    join(folder, "loop-forever.yaml"),
    [
      ...header("loop-forever"),
      "  steps:",
      "    - id: note",
      "      uses: builtin.note",
      "      with: { summary: never }",
      `      when: "${hundred}.all(a, ${hundred}.all(b, ${hundred}.all(c, ${hundred}.all(d, a + b + c + d >= 0))))"`,
    ].join("\n"),
  );
}

/** Wraps a transport so every URL sent to Azure (the simulated one) lands in `sent`. */
export function recordingTransport(sent: string[]): (inner: HttpClient) => HttpClient {
  return (inner) => ({
    sendRequest: (request) => {
      sent.push(request.url);
      return inner.sendRequest(request);
    },
  });
}
