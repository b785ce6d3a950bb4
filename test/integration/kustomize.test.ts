// The Kubernetes deployment as platform teams install it: deploy/kustomize rendered by `kubectl
// kustomize` (Debian's kubernetes-client; CI installs it), both overlays and the optional components,
// every object validated offline (kubernetes-models for Kubernetes and Prometheus Operator kinds, the
// CRD's own schema for the Secrets Store CSI driver's SecretProviderClass), and what each overlay
// promises checked on the rendered objects.
import { describe, expect, it } from "@jest/globals";
import { Ajv } from "ajv";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1";
import { ConfigMap, Namespace, PersistentVolumeClaim, Service, ServiceAccount } from "kubernetes-models/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { readConfig } from "../../src/index.js";

/**
 * Whether kubectl is here with a kustomize that renders Components (v4 or later, kubectl 1.21+); CI
 * must have it. Debian bookworm's kubernetes-client is kubectl 1.20 with kustomize v2.0.3, which
 * cannot: said plainly rather than as a JSON error.
 */
function kubectlAvailable(): boolean {
  let version: string;
  try {
    version = execFileSync("kubectl", ["version", "--client"], { encoding: "utf8" });
  } catch {
    if (process.env.CI) throw new Error("CI needs kubectl (1.21 or later) for the kustomize test");
    console.warn("kubectl not found: the kustomize test is skipped");
    return false;
  }
  const kustomize = /Kustomize Version: v(\d+)/.exec(version)?.[1];
  if (!kustomize || Number(kustomize) < 4) {
    const reason = `kubectl here (${version.split("\n")[0] ?? "?"}) has no kustomize v4 or later, which deploy/kustomize needs (Components)`;
    if (process.env.CI) throw new Error(reason);
    console.warn(`${reason}: the kustomize test is skipped`);
    return false;
  }
  return true;
}

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } & Record<
  string,
  unknown
>;

/** `kubectl kustomize <directory>`, as objects. */
function render(directory: string): K8sObject[] {
  const yaml = execFileSync("kubectl", ["kustomize", directory], { encoding: "utf8" });
  return parseAllDocuments(yaml).map((document) => document.toJS() as K8sObject);
}

/** An overlay of an overlay with the optional components added (what a team's own overlay does). */
function withComponents(overlay: string, components: readonly string[]): string {
  const folder = mkdtempSync(join(tmpdir(), "egress-kustomize-"));
  // Kustomize takes relative paths only.
  const root = relative(folder, resolve("deploy/kustomize"));
  writeFileSync(
    join(folder, "kustomization.yaml"),
    [
      "apiVersion: kustomize.config.k8s.io/v1beta1",
      "kind: Kustomization",
      "resources:",
      `  - ${join(root, "overlays", overlay)}`,
      "components:",
      ...components.map((component) => `  - ${join(root, "components", component)}`),
      "",
    ].join("\n"),
  );
  return folder;
}

const validateSecretProviderClass = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync("test/fixtures/crds/secret-provider-class.schema.json", "utf8")) as object,
);

/** Validates one rendered object with the model of its kind; throws for a kind nothing here knows. */
function validate(object: K8sObject): void {
  const models: Record<string, (value: never) => { validate(): void }> = {
    "v1/Namespace": (value) => new Namespace(value),
    "v1/ServiceAccount": (value) => new ServiceAccount(value),
    "v1/ConfigMap": (value) => new ConfigMap(value),
    "v1/Service": (value) => new Service(value),
    "v1/PersistentVolumeClaim": (value) => new PersistentVolumeClaim(value),
    "apps/v1/Deployment": (value) => new Deployment(value),
    "networking.k8s.io/v1/NetworkPolicy": (value) => new NetworkPolicy(value),
    "policy/v1/PodDisruptionBudget": (value) => new PodDisruptionBudget(value),
    "monitoring.coreos.com/v1/ServiceMonitor": (value) => new ServiceMonitor(value),
  };
  const key = `${object.apiVersion}/${object.kind}`;
  if (key === "secrets-store.csi.x-k8s.io/v1/SecretProviderClass") {
    if (!validateSecretProviderClass(object)) throw new Error(JSON.stringify(validateSecretProviderClass.errors));
    return;
  }
  const model = models[key];
  if (!model) throw new Error(`no model for ${key}`);
  model(object as never).validate();
}

const kinds = (objects: readonly K8sObject[]) => objects.map((object) => object.kind).sort();
const one = <T>(objects: readonly K8sObject[], kind: string, make: (value: never) => T): T => {
  const found = objects.filter((object) => object.kind === kind);
  expect(found).toHaveLength(1);
  return make(found[0] as never);
};

(kubectlAvailable() ? describe : describe.skip)(
  "Kustomize: deploy/kustomize (skipped only where kubectl is missing)",
  () => {
    const single = render("deploy/kustomize/overlays/single");
    const ha = render("deploy/kustomize/overlays/ha");

    it("renders both overlays, every object valid for its kind, all in the egress-bot namespace", () => {
      expect(kinds(single)).toEqual([
        "ConfigMap",
        "Deployment",
        "Namespace",
        "NetworkPolicy",
        "PersistentVolumeClaim",
        "Service",
        "ServiceAccount",
      ]);
      expect(kinds(ha)).toEqual([
        "ConfigMap",
        "Deployment",
        "Namespace",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "Service",
        "ServiceAccount",
      ]);
      for (const object of [...single, ...ha]) {
        expect(() => validate(object)).not.toThrow();
        if (object.kind !== "Namespace") expect(object.metadata.namespace).toBe("egress-bot");
      }
      // The validation can fail.
      const deployment = single.find((object) => object.kind === "Deployment") as K8sObject;
      expect(() => validate({ ...deployment, spec: { replicas: "one" } })).toThrow();
    });

    it("single: one replica on the embedded store, its volume mounted, recreated rather than rolled", () => {
      const deployment = one(single, "Deployment", (value) => new Deployment(value));
      const container = deployment.spec?.template.spec?.containers[0];
      expect(deployment.spec?.replicas).toBe(1);
      expect(deployment.spec?.strategy?.type).toBe("Recreate");
      expect(container?.volumeMounts?.find((mount) => mount.name === "state")?.mountPath).toBe("/app/.egress");
      expect(container?.env?.map((variable) => variable.name)).not.toContain("EGRESS_DATABASE_URL");
    });

    it("ha: three replicas on PostgreSQL (Entra sign-in), a disruption budget, spread over zones and nodes, PostgreSQL in the egress policy", () => {
      const deployment = one(ha, "Deployment", (value) => new Deployment(value));
      const pod = deployment.spec?.template.spec;
      const env = pod?.containers[0]?.env ?? [];
      expect(deployment.spec?.replicas).toBe(3);
      expect(env.find((variable) => variable.name === "EGRESS_DATABASE_URL")?.valueFrom?.secretKeyRef).toEqual({
        name: "egress-bot-database",
        key: "url",
      });
      expect(env.find((variable) => variable.name === "EGRESS_DATABASE_AUTH")?.value).toBe("entra");
      expect(pod?.volumes?.map((volume) => volume.name)).not.toContain("state");
      expect(pod?.topologySpreadConstraints?.map((constraint) => constraint.topologyKey)).toEqual([
        "topology.kubernetes.io/zone",
        "kubernetes.io/hostname",
      ]);
      const budget = one(ha, "PodDisruptionBudget", (value) => new PodDisruptionBudget(value));
      expect(budget.spec?.minAvailable).toBe(2);
      // The budget selects the Deployment's pods.
      expect(deployment.spec?.template.metadata?.labels).toMatchObject(
        budget.spec?.selector?.matchLabels ?? { none: 1 },
      );
      const policy = one(ha, "NetworkPolicy", (value) => new NetworkPolicy(value));
      const ports = policy.spec?.egress?.flatMap((rule) => rule.ports?.map((port) => port.port) ?? []);
      expect([...new Set(ports)].sort((a, b) => Number(a) - Number(b))).toEqual([53, 443, 5432]);
    });

    for (const [name, objects] of [
      ["single", single],
      ["ha", ha],
    ] as const)
      it(`${name}: non-root, read-only, probed and limited, with workload identity, subscriptions, scrapeable /metrics and the console off`, async () => {
        const deployment = one(objects, "Deployment", (value) => new Deployment(value));
        const pod = deployment.spec?.template.spec;
        const container = pod?.containers[0];
        const env = Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.value]));
        expect(deployment.spec?.template.metadata?.labels?.["azure.workload.identity/use"]).toBe("true");
        expect(pod?.serviceAccountName).toBe("egress-bot");
        expect(pod?.securityContext?.runAsNonRoot).toBe(true);
        expect(container?.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
        });
        expect(container?.readinessProbe?.httpGet?.path).toBe("/readyz");
        expect(container?.livenessProbe?.httpGet?.path).toBe("/healthz");
        expect(container?.resources?.limits?.memory).toBe("512Mi");
        expect(container?.envFrom?.[0]?.secretRef?.name).toBe("egress-bot-secrets");
        expect(env.EGRESS_SUBSCRIPTIONS).toMatch(/^[0-9a-f-]{36}/);
        expect(env).toMatchObject({
          NODE_ENV: "production",
          EGRESS_METRICS_PORT: "9464",
          EGRESS_METRICS_HOST: "0.0.0.0",
        });
        // The generated ConfigMap is the file EGRESS_CONFIG names, and the bot reads it as valid with the console off.
        const configMap = one(objects, "ConfigMap", (value) => new ConfigMap(value));
        expect(pod?.volumes?.find((volume) => volume.name === "config")?.configMap?.name).toBe(
          configMap.metadata?.name,
        );
        const file = join(mkdtempSync(join(tmpdir(), "egress-config-")), "config.yaml");
        writeFileSync(file, configMap.data?.["config.yaml"] ?? "");
        const config = await readConfig({ EGRESS_CONFIG: file, NODE_ENV: "production" });
        expect(config.ok && config.config.console.enabled).toBe(false);
        // /metrics reaches the monitoring namespace only; the chat port anyone; the bot's own egress DNS and HTTPS.
        const service = one(objects, "Service", (value) => new Service(value));
        expect(service.spec?.ports?.map((port) => port.port)).toEqual([80, 9464]);
        const policy = one(objects, "NetworkPolicy", (value) => new NetworkPolicy(value));
        const metricsRule = policy.spec?.ingress?.find((rule) => rule.ports?.some((port) => port.port === 9464));
        expect(metricsRule?.from?.[0]?.namespaceSelector?.matchLabels).toEqual({
          "kubernetes.io/metadata.name": "monitoring",
        });
        const egressPorts = policy.spec?.egress?.flatMap((rule) => rule.ports?.map((port) => port.port) ?? []);
        expect(egressPorts).toEqual(expect.arrayContaining([53, 443]));
      });

    it("the key-vault and service-monitor components: secrets synced from Key Vault into the Secret the pods read, and a ServiceMonitor on the metrics port", () => {
      const objects = render(withComponents("ha", ["key-vault", "service-monitor"]));
      for (const object of objects) expect(() => validate(object)).not.toThrow();
      const providerClass = objects.find((object) => object.kind === "SecretProviderClass") as unknown as {
        spec: { provider: string; secretObjects: { secretName: string; data: { key: string }[] }[] };
      };
      expect(providerClass.spec.provider).toBe("azure");
      expect(providerClass.spec.secretObjects[0]?.secretName).toBe("egress-bot-secrets");
      expect(providerClass.spec.secretObjects[0]?.data.map((item) => item.key)).toEqual([
        "SLACK_SIGNING_SECRET",
        "SLACK_BOT_TOKEN",
        "clientSecret",
      ]);
      // The Secret is synced only while a pod mounts the CSI volume: the component mounts it.
      const deployment = one(objects, "Deployment", (value) => new Deployment(value));
      expect(deployment.spec?.template.spec?.volumes?.find((volume) => volume.name === "key-vault")?.csi).toMatchObject(
        {
          driver: "secrets-store.csi.k8s.io",
          volumeAttributes: { secretProviderClass: "egress-bot-secrets" },
        },
      );
      const monitor = one(objects, "ServiceMonitor", (value) => new ServiceMonitor(value));
      expect(monitor.spec.endpoints?.[0]).toMatchObject({ port: "metrics", path: "/metrics" });
      expect(monitor.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "egress-bot" });
      const secretProviderSchemaCatches = validateSecretProviderClass({
        ...providerClass,
        spec: { ...providerClass.spec, secretObject: [] },
      });
      expect(secretProviderSchemaCatches).toBe(false);
    });
  },
);
