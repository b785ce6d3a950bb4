// Writes runbooks/runbook.schema.json from the runbook schema and the built-in step types.
// A test fails when the committed file differs from what this would write.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPackageRoot } from "../src/app/package-root.js";
import { createRunbookJsonSchema } from "../src/core/runbooks/runbook-json-schema.js";
import { createBuiltinRegistry } from "../src/steps/index.js";

const file = join(findPackageRoot(), "runbooks", "runbook.schema.json");
writeFileSync(file, `${JSON.stringify(createRunbookJsonSchema(createBuiltinRegistry()), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
