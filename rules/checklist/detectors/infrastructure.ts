/**
 * Evidence detectors for the infrastructure items, read from infrastructure-as-code in the repository:
 * Kubernetes manifests and Helm charts, Terraform, Pulumi, CDK, CloudFormation, serverless.yml,
 * fly.toml, render.yaml, App Engine and Cloud Run service files. docker-compose is not production
 * infrastructure and is never counted. Without any IaC an item stays open: it may be configured in a
 * cloud console, which the repository cannot show.
 */
import { type Detector, type DetectorResult, type Evidence, type EvidenceContext, fail, lineOf, open, pass } from "../evidence";
import { baseName, dirName, importsAny, isProductionFile, lineAt, listNames } from "./support";

export type IacKind = "kubernetes" | "helm" | "terraform" | "pulumi" | "cdk" | "cloudformation" | "serverless" | "fly" | "render" | "appengine" | "cloudrun";

export interface IacFile {
  file: string;
  kind: IacKind;
  text: string;
}

export interface IacInventory {
  files: IacFile[];
  /** Helm chart roots (folders holding Chart.yaml) and their values files' texts. */
  charts: Map<string, IacFile[]>;
}

const KIND_NAMES: Record<IacKind, string> = {
  kubernetes: "Kubernetes",
  helm: "Helm",
  terraform: "Terraform",
  pulumi: "Pulumi",
  cdk: "CDK",
  cloudformation: "CloudFormation",
  serverless: "Serverless Framework",
  fly: "Fly.io",
  render: "Render",
  appengine: "App Engine",
  cloudrun: "Cloud Run",
};

const TERRAFORM_FILE = /\.(?:tf|tofu|tfvars)$|\.tf\.json$|(?:^|\/)terragrunt\.hcl$/;
const NOT_INFRASTRUCTURE_YAML =
  /(?:^|\/)(?:docker-compose[\w.-]*|compose(?:\.[\w-]+)?|pnpm-lock|pnpm-workspace|\.yarnrc|\.gitlab-ci|mkdocs|codecov|\.pre-commit-config|\.golangci|\.markdownlint[\w.-]*|openapi[\w.-]*|swagger[\w.-]*|dependabot|\.?lefthook|\.release-please[\w.-]*|\.goreleaser|netlify|\.?artillery[\w.-]*|action)\.ya?ml$|(?:^|\/)\.(?:github|circleci|gitlab|buildkite|woodpecker|husky|changeset|vscode)\/|(?:^|\/)(?:locales?|i18n|translations|fixtures|__fixtures__)\//i;
const INFRA_FOLDER = /(?:^|\/)(?:k8s|kube|kubernetes|manifests?|deploy(?:ment)?s?|helm|charts?|kustomize|overlays|infra(?:structure)?|ops|platform|gitops|argocd|flux|cloudformation|cfn|terraform|iac)\//i;
const CDK_MODULES = ["aws-cdk-lib", "@aws-cdk", "cdktf", "@cdktf", "cdk8s", "cdk8s-plus-28", "cdk8s-plus-29", "cdk8s-plus-30"];
const MAX_YAML_READS = 500;

const inventories = new WeakMap<EvidenceContext, IacInventory>();

/** Every infrastructure-as-code file of the workspace, with its text (computed once per context). */
export function iacInventory(context: EvidenceContext): IacInventory {
  const cached = inventories.get(context);
  if (cached) return cached;
  const files: IacFile[] = [];
  const charts = new Map<string, IacFile[]>();
  const add = (file: string, kind: IacKind, text = context.read(file)) => {
    if (text !== undefined) files.push({ file, kind, text });
  };
  // Test fixtures and scripts hold example manifests, not the deployment.
  const candidates = context.files.filter(isProductionFile);
  const chartRoots = candidates.filter((file) => baseName(file) === "Chart.yaml").map(dirName);
  const chartOf = (file: string) => chartRoots.filter((root) => root === "" || file.startsWith(`${root}/`)).sort((a, b) => b.length - a.length)[0];

  for (const file of candidates) {
    const base = baseName(file);
    if (TERRAFORM_FILE.test(file)) add(file, "terraform");
    else if (base === "fly.toml") add(file, "fly");
    else if (/^render\.ya?ml$/.test(base)) add(file, "render");
    else if (/^serverless\.(?:ya?ml|json|ts|js)$/.test(base)) add(file, "serverless");
    else if (/^Pulumi(?:\.[\w-]+)?\.ya?ml$/.test(base)) add(file, "pulumi");
    else if (base === "cdk.json") add(file, "cdk");
  }
  // YAML manifests: infrastructure folders first, then the rest, bounded.
  const yamls = candidates.filter((file) => /\.ya?ml$/.test(file) && !NOT_INFRASTRUCTURE_YAML.test(file) && !files.some((known) => known.file === file));
  yamls.sort((a, b) => Number(INFRA_FOLDER.test(b)) - Number(INFRA_FOLDER.test(a)) || (a < b ? -1 : 1));
  for (const file of yamls.slice(0, MAX_YAML_READS)) {
    const text = context.read(file);
    if (text === undefined) continue;
    const chart = chartOf(file);
    if (chart !== undefined) {
      const iac: IacFile = { file, kind: "helm", text };
      files.push(iac);
      if (file.slice(chart.length).replace(/^\//, "").match(/^values[\w.-]*\.ya?ml$/)) {
        if (!charts.has(chart)) charts.set(chart, []);
        charts.get(chart)!.push(iac);
      }
    } else if (/^[ \t]*AWSTemplateFormatVersion\s*:|^[ \t]*Transform\s*:\s*["']?AWS::Serverless|^[ \t]*Type\s*:\s*["']?AWS::\w+::/m.test(text)) {
      files.push({ file, kind: "cloudformation", text });
    } else if (/^[ \t]*apiVersion\s*:\s*serving\.knative\.dev\//m.test(text)) {
      files.push({ file, kind: "cloudrun", text });
    } else if (/^[ \t]*apiVersion\s*:\s*\S+/m.test(text) && /^[ \t]*kind\s*:\s*[A-Z]\w+/m.test(text)) {
      files.push({ file, kind: "kubernetes", text });
    } else if (baseName(file) === "app.yaml" && /^runtime\s*:/m.test(text)) {
      files.push({ file, kind: "appengine", text });
    }
  }
  for (const file of candidates.filter((candidate) => /\.json$/.test(candidate) && /template|cloudformation|cfn|stack/i.test(candidate)).slice(0, 100)) {
    const text = context.read(file);
    if (text && /"AWSTemplateFormatVersion"\s*:|"Type"\s*:\s*"AWS::\w+::/.test(text)) files.push({ file, kind: "cloudformation", text });
  }
  // Pulumi and CDK programs are analysed sources.
  for (const analysis of context.analyses) {
    if (!isProductionFile(analysis.file)) continue;
    const kind: IacKind | undefined = analysis.imports.some(({ module }) => module.startsWith("@pulumi/"))
      ? "pulumi"
      : importsAny(analysis, CDK_MODULES)
        ? "cdk"
        : undefined;
    if (kind) add(analysis.file, kind);
  }
  const inventory = { files, charts };
  inventories.set(context, inventory);
  return inventory;
}

/** One line naming what IaC there is ("Terraform (infra/main.tf) and Kubernetes (k8s/deployment.yaml)"). */
function describeInventory(inventory: IacInventory): string {
  const byKind = new Map<IacKind, string[]>();
  for (const { file, kind } of inventory.files) {
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind)!.push(file);
  }
  return listNames([...byKind].map(([kind, files]) => `${KIND_NAMES[kind]} (${files[0]}${files.length > 1 ? ` +${files.length - 1}` : ""})`), 4);
}

function inventoryEvidence(inventory: IacInventory, max = 5): Evidence[] {
  return inventory.files.slice(0, max).map(({ file, kind }) => ({ file, note: `${KIND_NAMES[kind]} infrastructure-as-code` }));
}

const NO_IAC = "no infrastructure-as-code in the repository (Kubernetes, Helm, Terraform, Pulumi, CDK, serverless.yml, fly.toml, render.yaml)";

/** The `---`-separated documents of a YAML text, with the line each starts on. */
function yamlDocuments(text: string): { text: string; line: number }[] {
  const documents: { text: string; line: number }[] = [];
  let start = 0;
  const separator = /^---[^\n]*$/gm;
  for (let match = separator.exec(text); match; match = separator.exec(text)) {
    documents.push({ text: text.slice(start, match.index), line: lineAt(text, start) });
    start = match.index + match[0].length;
  }
  documents.push({ text: text.slice(start), line: lineAt(text, start) });
  return documents.filter((document) => document.text.trim().length > 0);
}

/** The block under a top-level key of a values file (`autoscaling:` → its indented lines). */
function valuesBlock(text: string, key: string): string | undefined {
  const match = new RegExp(`^${key}:[ \\t]*\\n((?:[ \\t]+[^\\n]*\\n?|[ \\t]*\\n)*)`, "m").exec(text);
  return match?.[1];
}

/**
 * For a Helm template guarded by `{{ if .Values.<key>.enabled }}`: whether any values file of its chart
 * enables it. `undefined` when the template is not guarded (always rendered).
 */
function helmGuard(inventory: IacInventory, iac: IacFile, key: string): { enabled: boolean; values?: IacFile } | undefined {
  if (iac.kind !== "helm" || !new RegExp(`\\.Values\\.${key}\\.enabled\\b`).test(iac.text)) return undefined;
  const root = [...inventory.charts.keys()].filter((chart) => chart === "" || iac.file.startsWith(`${chart}/`)).sort((a, b) => b.length - a.length)[0];
  for (const values of inventory.charts.get(root) ?? []) {
    const block = valuesBlock(values.text, key);
    if (block && /^[ \t]+enabled:[ \t]*true\b/m.test(block)) return { enabled: true, values };
  }
  return { enabled: false, values: (inventory.charts.get(root) ?? [])[0] };
}

interface Matcher {
  kinds: readonly IacKind[];
  pattern: RegExp;
  note: string | ((match: RegExpExecArray) => string);
  /** Whether the platform provides it implicitly rather than the IaC configuring it. */
  implicit?: boolean;
}

/** Matches of these matchers in the inventory, first per file and matcher. */
function matchSites(inventory: IacInventory, matchers: readonly Matcher[]): (Evidence & { implicit: boolean })[] {
  const evidence: (Evidence & { implicit: boolean })[] = [];
  for (const iac of inventory.files) {
    for (const matcher of matchers) {
      if (!matcher.kinds.includes(iac.kind)) continue;
      const match = matcher.pattern.exec(iac.text);
      if (!match) continue;
      evidence.push({ file: iac.file, line: lineAt(iac.text, match.index), note: typeof matcher.note === "string" ? matcher.note : matcher.note(match), implicit: matcher.implicit === true });
    }
  }
  return evidence;
}

const strip = (evidence: (Evidence & { implicit?: boolean })[]): Evidence[] => evidence.map(({ implicit: _implicit, ...site }) => site);

/** Kubernetes/Helm documents of these kinds, honouring Helm `enabled` guards; disabled ones are returned apart. */
function kubernetesSites(
  inventory: IacInventory,
  kinds: RegExp,
  note: (kind: string) => string,
  guardKey: string,
  accept: (document: string) => boolean = () => true,
): { enabled: Evidence[]; disabled: Evidence[] } {
  const enabled: Evidence[] = [];
  const disabled: Evidence[] = [];
  for (const iac of inventory.files) {
    if (iac.kind !== "kubernetes" && iac.kind !== "helm" && iac.kind !== "cloudrun") continue;
    for (const document of yamlDocuments(iac.text)) {
      const kind = new RegExp(`^[ \\t]*kind:\\s*["']?(${kinds.source})["']?\\s*$`, "m").exec(document.text);
      if (!kind || !accept(document.text)) continue;
      const site = { file: iac.file, line: document.line + lineAt(document.text, kind.index) - 1, note: note(kind[1]) };
      const guard = helmGuard(inventory, { ...iac, text: document.text }, guardKey);
      if (guard && !guard.enabled) disabled.push({ ...site, note: `${site.note}, but ${guardKey}.enabled is not true in ${guard.values?.file ?? "the chart's values"}` });
      else enabled.push(guard?.values ? { ...site, note: `${site.note} (${guardKey}.enabled in ${guard.values.file})` } : site);
    }
  }
  return { enabled, disabled };
}

function decide(
  inventory: IacInventory,
  found: (Evidence & { implicit?: boolean })[],
  what: string,
  missing: string,
  disabled: Evidence[] = [],
): DetectorResult {
  if (inventory.files.length === 0) return open(`Cannot tell: ${NO_IAC}`);
  const explicit = found.filter((site) => !site.implicit);
  if (explicit.length > 0) return pass(`${what}: ${listNames(explicit.map((site) => site.note), 3)}`, strip(found));
  if (found.length > 0) return pass(`${what} (implicit): ${listNames(found.map((site) => site.note), 3)}`, strip(found));
  if (disabled.length > 0) return fail(`${missing}: ${disabled[0].note}`, [...disabled, ...inventoryEvidence(inventory, 3)]);
  return fail(`${missing} in ${describeInventory(inventory)}`, inventoryEvidence(inventory));
}

// ---------------------------------------------------------------------------------------------
// infrastructure.auto-scaling

const AUTO_SCALING: Matcher[] = [
  { kinds: ["kubernetes", "helm", "cloudrun"], pattern: /autoscaling\.knative\.dev\/(?:max-?[sS]cale|min-?[sS]cale|target)/, note: "Knative/Cloud Run autoscaling annotations" },
  {
    kinds: ["terraform"],
    pattern: /resource\s+"(aws_appautoscaling_target|aws_appautoscaling_policy|aws_autoscaling_group|aws_autoscaling_policy|google_compute_autoscaler|google_compute_region_autoscaler|azurerm_monitor_autoscale_setting|kubernetes_horizontal_pod_autoscaler(?:_v\d)?|helm_release"\s+"keda)"/,
    note: (match) => `Terraform ${match[1].replace(/"\s+"/, " ")}`,
  },
  { kinds: ["terraform"], pattern: /source\s*=\s*"[^"]*autoscaling[^"]*"/, note: "Terraform autoscaling module" },
  { kinds: ["terraform"], pattern: /(?:enable_auto_scaling|auto_scaling_enabled)\s*=\s*true|\bmax_instance_count\s*=|\bautoscaling\s*\{/, note: (match) => `Terraform ${match[0].replace(/\s*[={].*$/, "")}` },
  { kinds: ["cloudformation"], pattern: /AWS::(?:ApplicationAutoScaling::ScalableTarget|AutoScaling::AutoScalingGroup)/, note: (match) => match[0] },
  {
    kinds: ["pulumi", "cdk"],
    pattern: /\bappautoscaling\.Target\b|\bautoscaling\.Group\b|\.autoScaleTaskCount\s*\(|\.scaleOn(?:Cpu|Memory)Utilization\s*\(|\.scaleOnRequestCount\s*\(|\.autoScale(?:Read|Write)Capacity\s*\(|new\s+(?:\w+\.)?AutoScalingGroup\s*\(|\bHorizontalPodAutoscaler\b/,
    note: (match) => match[0].replace(/^new\s+|\s*\($/g, "").replace(/^\./, ""),
  },
  { kinds: ["fly"], pattern: /^[ \t]*auto_start_machines\s*=\s*true|^[ \t]*auto_stop_machines\s*=\s*(?:true|["'](?:stop|suspend)["'])/m, note: "Fly starts and stops machines with traffic (fly.toml)" },
  { kinds: ["render"], pattern: /^[ \t]*scaling:\s*$(?:\n\s+.*)*?\n\s+maxInstances:/m, note: "Render autoscaling (render.yaml scaling:)" },
  { kinds: ["appengine"], pattern: /^automatic_scaling:/m, note: "App Engine automatic_scaling" },
  { kinds: ["serverless"], pattern: /^[ \t]*functions\s*:/m, note: "serverless functions scale with load", implicit: true },
  { kinds: ["cloudrun"], pattern: /^[ \t]*kind:\s*Service\b/m, note: "Cloud Run scales instances with load", implicit: true },
];

export const autoScaling: Detector = (context) => {
  const inventory = iacInventory(context);
  const kubernetes = kubernetesSites(inventory, /HorizontalPodAutoscaler|ScaledObject|ScaledJob|VerticalPodAutoscaler/, (kind) => `Kubernetes ${kind}`, "autoscaling");
  return decide(inventory, [...kubernetes.enabled, ...matchSites(inventory, AUTO_SCALING)], "Auto-scaling configured", "No auto-scaling configuration", kubernetes.disabled);
};

// ---------------------------------------------------------------------------------------------
// infrastructure.load-balancing

const LOAD_BALANCING: Matcher[] = [
  {
    kinds: ["terraform"],
    pattern: /resource\s+"(aws_lb|aws_alb|aws_elb|google_compute_backend_service|google_compute_url_map|google_compute_global_forwarding_rule|google_compute_forwarding_rule|azurerm_lb|azurerm_application_gateway|azurerm_frontdoor|azurerm_cdn_frontdoor_profile|digitalocean_loadbalancer|cloudflare_load_balancer|hcloud_load_balancer|linode_nodebalancer|kubernetes_ingress(?:_v1)?)"/,
    note: (match) => `Terraform ${match[1]}`,
  },
  { kinds: ["terraform"], pattern: /source\s*=\s*"[^"]*(?:\/alb\/|\/elb\/|lb-http|load-?balancer)[^"]*"/, note: "Terraform load balancer module" },
  { kinds: ["cloudformation"], pattern: /AWS::ElasticLoadBalancing(?:V2)?::LoadBalancer/, note: (match) => match[0] },
  {
    kinds: ["pulumi", "cdk"],
    pattern: /new\s+(?:\w+\.)*(?:ApplicationLoadBalancer|NetworkLoadBalancer|LoadBalancer|ApplicationLoadBalanced\w+Service|NetworkLoadBalanced\w+Service|BackendService)\s*\(|\blb\.LoadBalancer\b|networking\.v1\.Ingress\b/,
    note: (match) => match[0].replace(/^new\s+|\s*\($/g, ""),
  },
  { kinds: ["fly"], pattern: /^[ \t]*\[(?:http_service|\[services\])\]/m, note: "Fly proxy balances requests across machines", implicit: true },
  { kinds: ["render"], pattern: /^[ \t]*-?\s*type:\s*web\b/m, note: "Render balances web service instances", implicit: true },
  { kinds: ["cloudrun"], pattern: /^[ \t]*kind:\s*Service\b/m, note: "Cloud Run balances requests across instances", implicit: true },
  { kinds: ["appengine"], pattern: /^runtime\s*:/m, note: "App Engine balances requests across instances", implicit: true },
  { kinds: ["serverless"], pattern: /^[ \t]*-\s*(?:http|httpApi|alb)\s*:/m, note: "API Gateway/ALB in front of the functions", implicit: true },
];

export const loadBalancing: Detector = (context) => {
  const inventory = iacInventory(context);
  const ingress = kubernetesSites(inventory, /Ingress|Gateway|HTTPRoute|IngressRoute|VirtualService/, (kind) => `Kubernetes ${kind}`, "ingress");
  const services = kubernetesSites(inventory, /Service/, () => "Kubernetes Service of type LoadBalancer", "service", (document) => /^[ \t]*type:\s*["']?LoadBalancer\b/m.test(document));
  // Helm: `type: {{ .Values.service.type }}` with `service.type: LoadBalancer` in values.
  const helmServices: Evidence[] = [];
  for (const iac of inventory.files) {
    if (iac.kind !== "helm" || !/^[ \t]*kind:\s*Service\s*$/m.test(iac.text) || !/type:\s*\{\{-?\s*\.Values\.service\.type\s*-?\}\}/.test(iac.text)) continue;
    const root = [...inventory.charts.keys()].find((chart) => chart === "" || iac.file.startsWith(`${chart}/`));
    const values = (root === undefined ? [] : inventory.charts.get(root) ?? []).find((candidate) => /^[ \t]+type:[ \t]*["']?LoadBalancer\b/m.test(valuesBlock(candidate.text, "service") ?? ""));
    if (values) helmServices.push({ file: iac.file, line: lineOf(iac.text, /\.Values\.service\.type/), note: `Kubernetes Service of type LoadBalancer (service.type in ${values.file})` });
  }
  return decide(inventory, [...ingress.enabled, ...services.enabled, ...helmServices, ...matchSites(inventory, LOAD_BALANCING)], "Load balancing configured", "No load balancer", ingress.disabled);
};

// ---------------------------------------------------------------------------------------------
// infrastructure.db-replication

const DB_RESOURCE =
  /^(?:aws_db_instance|aws_rds_cluster|aws_rds_global_cluster|google_sql_database_instance|azurerm_(?:postgresql|mysql|mariadb)(?:_flexible)?_server|azurerm_mssql_server|digitalocean_database_cluster|mongodbatlas_(?:advanced_)?cluster|aws_docdb_cluster|google_alloydb_cluster|aws_dynamodb_table|azurerm_cosmosdb_account)$/;
/** Database modules (`source = "terraform-aws-modules/rds/aws"`, Cloud SQL, Aurora). */
const DB_MODULE_SOURCE = /source\s*=\s*"[^"]*(?:\/rds(?:-aurora)?\/|aurora|cloudsql|sql-db|postgresql|mysql)[^"]*"/;
const MODULE_REPLICATION = /^[ \t]*(?:multi_az\s*=\s*true|replicate_source_db\s*=|availability_type\s*=\s*"REGIONAL"|read_replicas\s*=\s*\[\s*\S|replica_count\s*=\s*[1-9])/m;

/** Replication in Terraform: the resource and module blocks of a file, judged per block. */
function terraformReplication(iac: IacFile): { replicated: Evidence[]; databases: Evidence[] } {
  const replicated: Evidence[] = [];
  const databases: Evidence[] = [];
  const text = iac.text;
  const blocks = [...text.matchAll(/^[ \t]*(resource|module)\s+"(\w+)"(?:\s+"(\w+)")?/gm)].map((match, index, all) => ({
    type: match[1] === "module" ? "module" : match[2],
    name: match[1] === "module" ? match[2] : match[3] ?? "",
    line: lineAt(text, match.index! + match[0].search(/\S/)),
    body: text.slice(match.index!, index + 1 < all.length ? all[index + 1].index : text.length),
  }));
  const clusterInstances = blocks.filter((block) => block.type === "aws_rds_cluster_instance");
  let instanceCount = 0;
  let variableCount = false;
  for (const block of clusterInstances) {
    const count = /^[ \t]*count\s*=\s*(\S+)/m.exec(block.body);
    if (!count) instanceCount += 1;
    else if (/^\d+$/.test(count[1])) instanceCount += Number(count[1]);
    else variableCount = true;
  }
  for (const block of blocks) {
    const site = { file: iac.file, line: block.line };
    if (block.type === "module") {
      if (!DB_MODULE_SOURCE.test(block.body)) continue;
      const replication = MODULE_REPLICATION.exec(block.body);
      if (replication) replicated.push({ ...site, note: `module.${block.name}: ${replication[0].trim()}` });
      else databases.push({ ...site, note: `module.${block.name} (database) without replication` });
      continue;
    }
    if (!DB_RESOURCE.test(block.type)) continue;
    const label = `${block.type}.${block.name}`;
    let reason: string | undefined;
    if (block.type === "aws_db_instance") {
      if (/^[ \t]*replicate_source_db\s*=/m.test(block.body)) reason = "read replica (replicate_source_db)";
      else if (/^[ \t]*multi_az\s*=\s*true/m.test(block.body)) reason = "multi_az = true";
    } else if (block.type === "aws_rds_cluster" || block.type === "aws_docdb_cluster") {
      if (instanceCount >= 2) reason = `${instanceCount} cluster instances`;
      else if (variableCount) reason = "cluster instances counted by a variable";
      else if (/^[ \t]*db_cluster_instance_class\s*=/m.test(block.body)) reason = "Multi-AZ DB cluster";
    } else if (block.type === "aws_rds_global_cluster") {
      reason = "global cluster (cross-region replicas)";
    } else if (block.type === "google_sql_database_instance") {
      if (/availability_type\s*=\s*"REGIONAL"/.test(block.body)) reason = 'availability_type = "REGIONAL"';
      else if (/^[ \t]*master_instance_name\s*=|replica_configuration\s*\{/m.test(block.body)) reason = "read replica";
    } else if (block.type === "azurerm_cosmosdb_account") {
      reason = "Cosmos DB (replicated by the service)";
    } else if (block.type.startsWith("azurerm_")) {
      if (/high_availability\s*\{|create_mode\s*=\s*"Replica"/.test(block.body)) reason = "high availability / replica";
    } else if (block.type === "digitalocean_database_cluster") {
      const nodes = /node_count\s*=\s*(\d+)/.exec(block.body);
      if (nodes && Number(nodes[1]) >= 2) reason = `node_count = ${nodes[1]}`;
    } else if (block.type.startsWith("mongodbatlas_")) {
      reason = "Atlas replica set";
    } else if (block.type === "aws_dynamodb_table") {
      reason = /replica\s*\{/.test(block.body) ? "global table replicas" : "replicated across availability zones by DynamoDB";
    } else if (block.type === "google_alloydb_cluster") {
      reason = "AlloyDB (regional by design)";
    }
    if (reason) replicated.push({ ...site, note: `${label}: ${reason}` });
    else databases.push({ ...site, note: `${label} without replication` });
  }
  for (const block of blocks) {
    if (block.type === "aws_db_instance_automated_backups_replication" || block.type === "digitalocean_database_replica") replicated.push({ file: iac.file, line: block.line, note: `${block.type}.${block.name}` });
  }
  return { replicated, databases };
}

const DATABASE_IMAGE = /image:\s*["']?(?:[\w.-]+\/)*(?:postgres|postgresql|mysql|mariadb|mongo|mongodb)(?::|["'\s]|$)/m;

function kubernetesReplication(iac: IacFile): { replicated: Evidence[]; databases: Evidence[] } {
  const replicated: Evidence[] = [];
  const databases: Evidence[] = [];
  for (const document of yamlDocuments(iac.text)) {
    const text = document.text;
    const at = (pattern: RegExp) => document.line + (lineOf(text, pattern) ?? 1) - 1;
    const number = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    if (/apiVersion:\s*postgresql\.cnpg\.io/.test(text) && /kind:\s*Cluster\b/.test(text)) {
      const instances = number(/^[ \t]*instances:\s*(\d+)/m);
      (instances >= 2 ? replicated : databases).push({ file: iac.file, line: at(/kind:\s*Cluster/), note: instances >= 2 ? `CloudNativePG cluster with ${instances} instances` : "CloudNativePG cluster with a single instance" });
    } else if (/kind:\s*postgresql\b/.test(text) && /acid\.zalan\.do/.test(text)) {
      const instances = number(/numberOfInstances:\s*(\d+)/);
      (instances >= 2 ? replicated : databases).push({ file: iac.file, line: at(/kind:\s*postgresql/), note: `Zalando postgres with ${Number.isNaN(instances) ? 1 : instances} instance(s)` });
    } else if (/kind:\s*PostgresCluster\b/.test(text)) {
      const replicas = number(/^[ \t]*replicas:\s*(\d+)/m);
      (replicas >= 2 ? replicated : databases).push({ file: iac.file, line: at(/kind:\s*PostgresCluster/), note: `Crunchy PostgresCluster with ${Number.isNaN(replicas) ? 1 : replicas} replica(s)` });
    } else if (/kind:\s*MongoDBCommunity\b/.test(text)) {
      const members = number(/^[ \t]*members:\s*(\d+)/m);
      (members >= 2 ? replicated : databases).push({ file: iac.file, line: at(/kind:\s*MongoDBCommunity/), note: `MongoDB replica set with ${Number.isNaN(members) ? 1 : members} member(s)` });
    } else if (/kind:\s*StatefulSet\b/.test(text) && DATABASE_IMAGE.test(text)) {
      const replicas = number(/^[ \t]*replicas:\s*(\d+)/m);
      databases.push({ file: iac.file, line: at(DATABASE_IMAGE), note: `database StatefulSet with ${Number.isNaN(replicas) ? 1 : replicas} replica(s) and no replication operator` });
    }
  }
  if (iac.kind === "helm" && baseName(iac.file) === "Chart.yaml") {
    const ha = /^[ \t]*-?\s*name:\s*["']?(postgresql-ha|mysql-innodbcluster|mongodb-sharded|redis-cluster)["']?/m.exec(iac.text);
    const single = /^[ \t]*-?\s*name:\s*["']?(postgresql|mysql|mariadb|mongodb)["']?\s*$/m.exec(iac.text);
    if (ha && ha[1] !== "redis-cluster") replicated.push({ file: iac.file, line: lineAt(iac.text, ha.index), note: `Helm dependency ${ha[1]}` });
    else if (single) databases.push({ file: iac.file, line: lineAt(iac.text, single.index), note: `Helm dependency ${single[1]}` });
  }
  if (iac.kind === "helm" && /^values[\w.-]*\.ya?ml$/.test(baseName(iac.file))) {
    const replication = /^[ \t]*architecture:\s*["']?replication\b/m.exec(iac.text);
    if (replication) replicated.push({ file: iac.file, line: lineAt(iac.text, replication.index), note: "Bitnami chart architecture: replication" });
  }
  return { replicated, databases };
}

const PROGRAM_REPLICATION = /new\s+(?:\w+\.)*DatabaseInstanceReadReplica\s*\(|\bmultiAz\s*:\s*true|\breaders\s*:\s*\[\s*\S|\binstances\s*:\s*(?:[2-9]|\d{2,})\b|\breplicateSourceDb\s*:|availabilityType\s*:\s*["']REGIONAL["']|new\s+(?:\w+\.)*GlobalCluster\s*\(/;
const PROGRAM_DATABASE = /new\s+(?:\w+\.)*(?:DatabaseCluster|DatabaseInstance|ServerlessCluster|DatabaseInstanceFromSnapshot)\s*\(|\brds\.(?:Instance|Cluster)\b|\bsql\.DatabaseInstance\b|\bdynamodb\.Table\b/;

export const dbReplication: Detector = (context) => {
  const inventory = iacInventory(context);
  if (inventory.files.length === 0) return open(`Cannot tell: ${NO_IAC}`);
  const replicated: Evidence[] = [];
  const databases: Evidence[] = [];
  for (const iac of inventory.files) {
    const found =
      iac.kind === "terraform"
        ? terraformReplication(iac)
        : iac.kind === "kubernetes" || iac.kind === "helm"
          ? kubernetesReplication(iac)
          : { replicated: [] as Evidence[], databases: [] as Evidence[] };
    replicated.push(...found.replicated);
    databases.push(...found.databases);
    if (iac.kind === "pulumi" || iac.kind === "cdk") {
      const replication = PROGRAM_REPLICATION.exec(iac.text);
      const database = PROGRAM_DATABASE.exec(iac.text);
      if (database && replication) replicated.push({ file: iac.file, line: lineAt(iac.text, replication.index), note: `${KIND_NAMES[iac.kind]} database with ${replication[0].replace(/^new\s+|\s*\($/g, "").trim()}` });
      else if (database) databases.push({ file: iac.file, line: lineAt(iac.text, database.index), note: `${KIND_NAMES[iac.kind]} ${database[0].replace(/^new\s+|\s*\($/g, "")} without replicas` });
    }
    if (iac.kind === "cloudformation") {
      const replication = /SourceDBInstanceIdentifier|MultiAZ\s*["']?\s*:\s*["']?true|AWS::RDS::GlobalCluster/.exec(iac.text);
      const database = /AWS::RDS::DB(?:Instance|Cluster)/.exec(iac.text);
      if (replication) replicated.push({ file: iac.file, line: lineAt(iac.text, replication.index), note: `CloudFormation ${replication[0].replace(/\s*["']?\s*:.*$/, "")}` });
      else if (database) databases.push({ file: iac.file, line: lineAt(iac.text, database.index), note: `CloudFormation ${database[0]} without Multi-AZ or replicas` });
    }
    if (iac.kind === "render" && /^databases:/m.test(iac.text)) {
      const replicas = /^\s+readReplicas:/m.exec(iac.text);
      if (replicas) replicated.push({ file: iac.file, line: lineAt(iac.text, replicas.index), note: "Render database readReplicas" });
      else databases.push({ file: iac.file, line: lineOf(iac.text, /^databases:/m), note: "Render database without read replicas" });
    }
  }
  if (replicated.length > 0) return pass(`Database replication configured: ${listNames(replicated.map((site) => site.note), 3)}`, replicated);
  if (databases.length > 0) return fail(`Database defined without replication: ${listNames(databases.map((site) => site.note), 3)}`, databases);
  return open(`Cannot tell: the infrastructure-as-code (${describeInventory(inventory)}) defines no database; it may be managed elsewhere`, inventoryEvidence(inventory, 3));
};

// ---------------------------------------------------------------------------------------------
// infrastructure.multi-region

const REGION_VALUE = /^(?:[a-z]{2}(?:-gov)?-[a-z]+-\d|[a-z]+-[a-z]+\d|[a-z]{3})$/;

/** Files of a non-production environment: their region says nothing about production spanning regions. */
const NON_PRODUCTION_ENVIRONMENT = /(?:^|[/._-])(?:dev|develop|development|staging|stage|stg|test|testing|qa|uat|sandbox|preview|local|demo)(?:[/._-]|$)/i;

/** Region literals the IaC names, with where (files of staging/dev/test environments left out). */
function regionSites(inventory: IacInventory): { regions: Map<string, Evidence>; variable: Evidence[] } {
  const regions = new Map<string, Evidence>();
  const variable: Evidence[] = [];
  const record = (iac: IacFile, value: string, index: number, note: string) => {
    if (!regions.has(value)) regions.set(value, { file: iac.file, line: lineAt(iac.text, index), note: `${note} ${value}` });
  };
  for (const iac of inventory.files) {
    if (NON_PRODUCTION_ENVIRONMENT.test(iac.file)) continue;
    let patterns: { pattern: RegExp; note: string; valid: (value: string) => boolean }[] = [];
    const anyRegion = (value: string) => /^[a-z]{2}(?:-gov)?-[a-z]+-?\d$|^[a-z]+-[a-z]+\d$/.test(value);
    if (iac.kind === "terraform") {
      patterns = [
        { pattern: /^[ \t]*(?:region|region_name)\s*=\s*"([\w-]+)"/gm, note: "region", valid: anyRegion },
        { pattern: /^[ \t]*location\s*=\s*"([\w -]+)"/gm, note: "location", valid: (value) => /azurerm/.test(iac.text) && !/^(?:US|EU|ASIA)$/.test(value) },
      ];
      const fromVariable = /^[ \t]*region\s*=\s*(var\.\w+|local\.\w+)/m.exec(iac.text);
      if (fromVariable) variable.push({ file: iac.file, line: lineAt(iac.text, fromVariable.index), note: `region = ${fromVariable[1]}` });
    } else if (iac.kind === "fly") {
      patterns = [
        { pattern: /^[ \t]*primary_region\s*=\s*["'](\w+)["']/gm, note: "Fly primary_region", valid: (value) => REGION_VALUE.test(value) },
        { pattern: /^[ \t]*(?:regions|backup_regions)\s*=\s*\[([^\]]*)\]/gm, note: "Fly region", valid: () => true },
      ];
    } else if (iac.kind === "render") {
      patterns = [{ pattern: /^[ \t]*region:\s*["']?([\w-]+)/gm, note: "Render region", valid: () => true }];
    } else if (iac.kind === "cdk" || iac.kind === "pulumi") {
      patterns = [
        { pattern: /\bregion\s*:\s*["'`]([\w-]+)["'`]/g, note: `${KIND_NAMES[iac.kind]} region`, valid: anyRegion },
        { pattern: /^[ \t]*(?:aws|gcp|azure-native):region:\s*["']?([\w-]+)/gm, note: "Pulumi stack region", valid: () => true },
      ];
    } else if (iac.kind === "serverless") {
      patterns = [{ pattern: /^[ \t]*region:\s*["']?([\w-]+)["']?\s*$/gm, note: "serverless region", valid: anyRegion }];
    } else if (iac.kind === "cloudformation") {
      patterns = [{ pattern: /\bRegion["']?\s*:\s*["']?([a-z]{2}-[a-z]+-\d)/g, note: "CloudFormation region", valid: () => true }];
    } else if (iac.kind === "kubernetes" || iac.kind === "helm") {
      patterns = [{ pattern: /topology\.kubernetes\.io\/region["']?\s*(?:[:=]|operator[\s\S]{0,80}?values:\s*\[)\s*["']?([\w-]+)/g, note: "Kubernetes region", valid: anyRegion }];
    }
    for (const { pattern, note, valid } of patterns) {
      for (const match of iac.text.matchAll(pattern)) {
        const values = match[1].includes(",") || /["']/.test(match[1]) ? match[1].split(",").map((value) => value.replace(/["'\s]/g, "")).filter(Boolean) : [match[1].trim()];
        for (const value of values) if (valid(value)) record(iac, value, match.index!, note);
      }
    }
  }
  return { regions, variable };
}

export const multiRegion: Detector = (context) => {
  const inventory = iacInventory(context);
  if (inventory.files.length === 0) return open(`Cannot tell: ${NO_IAC}`);
  const { regions, variable } = regionSites(inventory);
  const evidence = [...regions.values()];
  if (regions.size >= 2) return pass(`Deployed to ${regions.size} regions: ${listNames([...regions.keys()], 5)}`, evidence);
  if (regions.size === 1) {
    const [region] = regions.keys();
    return fail(`Single region: the infrastructure-as-code names only ${region}${variable.length > 0 ? ` (and ${listNames(variable.map((site) => site.note.replace(/^region = /, "")), 2)})` : ""}`, [...evidence, ...variable]);
  }
  if (variable.length > 0) return open(`Cannot tell: the region comes from ${listNames(variable.map((site) => site.note.replace(/^region = /, "")), 2)}, set outside the repository's code`, variable);
  return open(`Cannot tell: the infrastructure-as-code (${describeInventory(inventory)}) names no region`, inventoryEvidence(inventory, 3));
};

export const infrastructureDetectors: Record<string, Detector> = {
  "infrastructure.auto-scaling": autoScaling,
  "infrastructure.load-balancing": loadBalancing,
  "infrastructure.db-replication": dbReplication,
  "infrastructure.multi-region": multiRegion,
};
