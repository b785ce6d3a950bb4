// Load generator for the server benchmarks, run as its own process so its event loop doesn't share
// time with the server's: sends N signed slash commands at once and prints each ack time (ms) as JSON.
// Several bases (comma-separated) are sent to in turn, as a load balancer in front of replicas would.
import { postSlashCommand } from "../test/support/slack-request.js";

const [bases = "", secret = "", countText = "50", text = "show cluster aks-plant-prod", prefix = "ack"] =
  process.argv.slice(2);
const timings = await Promise.all(
  Array.from({ length: Number(countText) }, async (_, index) => {
    const started = performance.now();
    const targets = bases.split(",");
    const base = targets[index % targets.length] ?? "";
    const response = await postSlashCommand(base, secret, {
      text,
      user_id: `U${prefix}${index}`,
      channel_id: `C${prefix}${index % 10}`,
      trigger_id: `${prefix}-${index}`,
      response_url: `${base}/never`,
    });
    if (response.status !== 200) throw new Error(`command ${index}: HTTP ${response.status}`);
    return performance.now() - started;
  }),
);
process.stdout.write(`${JSON.stringify(timings)}\n`);
