import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { iacInventory, infrastructureDetectors } from "../../rules/checklist/detectors/infrastructure";
import type { DetectorResult } from "../../rules/checklist/evidence";
import { evidenceFor } from "../checklist-fixture";

function run(id: string, files: Record<string, string>): DetectorResult {
  const detector = infrastructureDetectors[id];
  assert.ok(detector, `no detector for ${id}`);
  const result = detector(evidenceFor(files));
  return result;
}

function evidenceAt(result: DetectorResult, file: string, line?: number) {
  const site = result.evidence.find((evidence) => evidence.file === file && (line === undefined || evidence.line === line));
  assert.ok(site, `no evidence at ${file}${line === undefined ? "" : `:${line}`} in ${JSON.stringify(result.evidence)}`);
  return site;
}

const SERVICE = {
  "package.json": JSON.stringify({ name: "api", dependencies: { express: "^4.19.0", pg: "^8.11.0" } }, null, 2),
  "src/app.ts": `import express from "express";\nconst app = express();\napp.get("/health", (_req, res) => res.json({ ok: true }));\napp.listen(3000);\n`,
  "Dockerfile": "FROM node:20\nCMD [\"node\", \"dist/app.js\"]\n",
  "docker-compose.yml": "services:\n  api:\n    build: .\n    deploy:\n      replicas: 3\n  db:\n    image: postgres:16\n",
};

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0.0
`;

const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 2
  maxReplicas: 10
`;

const HELM_CHART = {
  "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n",
  "charts/api/values.yaml": "replicaCount: 1\nservice:\n  type: ClusterIP\n  port: 80\ningress:\n  enabled: false\nautoscaling:\n  enabled: false\n  minReplicas: 1\n",
  "charts/api/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
  "charts/api/templates/hpa.yaml": "{{- if .Values.autoscaling.enabled }}\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n",
  "charts/api/templates/ingress.yaml": "{{- if .Values.ingress.enabled -}}\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n",
  "charts/api/templates/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  type: {{ .Values.service.type }}\n",
};

describe("infrastructure detectors: ids and inventory", () => {
  it("covers exactly its four items", () => {
    assert.deepEqual(Object.keys(infrastructureDetectors).sort(), [
      "infrastructure.auto-scaling",
      "infrastructure.db-replication",
      "infrastructure.load-balancing",
      "infrastructure.multi-region",
    ]);
  });

  it("inventories IaC but never docker-compose or CI YAML", () => {
    const inventory = iacInventory(
      evidenceFor({
        ...SERVICE,
        ".github/workflows/deploy.yml": "name: deploy\non: [push]\njobs: {}\n",
        "k8s/deployment.yaml": DEPLOYMENT,
        "infra/main.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n',
        "fly.toml": 'app = "api"\nprimary_region = "iad"\n',
        "charts/api/Chart.yaml": "apiVersion: v2\nname: api\n",
      }),
    );
    assert.deepEqual(
      inventory.files.map(({ file, kind }) => `${kind}:${file}`).sort(),
      ["fly:fly.toml", "helm:charts/api/Chart.yaml", "kubernetes:k8s/deployment.yaml", "terraform:infra/main.tf"],
    );
  });
});

describe("infrastructure.auto-scaling", () => {
  it("passes on a HorizontalPodAutoscaler in a multi-document manifest, with its line", () => {
    const result = run("infrastructure.auto-scaling", { ...SERVICE, "k8s/api.yaml": `${DEPLOYMENT}---\n${HPA}` });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "Auto-scaling configured: Kubernetes HorizontalPodAutoscaler");
    evidenceAt(result, "k8s/api.yaml", 14);
  });

  it("fails on a Helm HPA template that values.yaml leaves disabled", () => {
    const result = run("infrastructure.auto-scaling", { ...SERVICE, ...HELM_CHART });
    assert.equal(result.status, "fail");
    assert.match(result.note, /autoscaling\.enabled is not true in charts\/api\/values\.yaml/);
    evidenceAt(result, "charts/api/templates/hpa.yaml", 3);
  });

  it("passes when a values file of the chart enables the HPA", () => {
    const result = run("infrastructure.auto-scaling", { ...SERVICE, ...HELM_CHART, "charts/api/values-production.yaml": "autoscaling:\n  enabled: true\n  maxReplicas: 20\n" });
    assert.equal(result.status, "pass");
    assert.match(evidenceAt(result, "charts/api/templates/hpa.yaml", 3).note, /autoscaling\.enabled in charts\/api\/values-production\.yaml/);
  });

  it("passes on Terraform application auto scaling", () => {
    const result = run("infrastructure.auto-scaling", {
      ...SERVICE,
      "infra/ecs.tf": `resource "aws_ecs_service" "api" {\n  name = "api"\n}\n\nresource "aws_appautoscaling_target" "api" {\n  max_capacity = 10\n  min_capacity = 2\n}\n`,
    });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "infra/ecs.tf", 5).note, "Terraform aws_appautoscaling_target");
  });

  it("passes on fly.toml autostart/autostop", () => {
    const result = run("infrastructure.auto-scaling", {
      ...SERVICE,
      "fly.toml": 'app = "api"\nprimary_region = "iad"\n\n[http_service]\n  internal_port = 3000\n  auto_stop_machines = "stop"\n  auto_start_machines = true\n  min_machines_running = 1\n',
    });
    assert.equal(result.status, "pass");
    evidenceAt(result, "fly.toml", 6);
  });

  it("passes, as implicit, on serverless functions", () => {
    const result = run("infrastructure.auto-scaling", { ...SERVICE, "serverless.yml": "service: api\nprovider:\n  name: aws\nfunctions:\n  api:\n    handler: dist/lambda.handler\n" });
    assert.equal(result.status, "pass");
    assert.match(result.note, /\(implicit\)/);
    evidenceAt(result, "serverless.yml", 4);
  });

  it("passes on render.yaml scaling and on CloudFormation scalable targets", () => {
    const render = run("infrastructure.auto-scaling", {
      ...SERVICE,
      "render.yaml": "services:\n  - type: web\n    name: api\n    scaling:\n      minInstances: 1\n      maxInstances: 4\n",
    });
    assert.equal(render.status, "pass");
    evidenceAt(render, "render.yaml", 4);
    const cloudFormation = run("infrastructure.auto-scaling", {
      ...SERVICE,
      "cloudformation/service.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Target:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n",
    });
    assert.equal(cloudFormation.status, "pass");
    assert.equal(evidenceAt(cloudFormation, "cloudformation/service.yaml", 4).note, "AWS::ApplicationAutoScaling::ScalableTarget");
  });

  it("fails on IaC without auto-scaling, pointing at the IaC", () => {
    const result = run("infrastructure.auto-scaling", { ...SERVICE, "k8s/deployment.yaml": DEPLOYMENT });
    assert.equal(result.status, "fail");
    assert.equal(result.note, "No auto-scaling configuration in Kubernetes (k8s/deployment.yaml)");
    evidenceAt(result, "k8s/deployment.yaml");
  });

  it("is open without IaC (docker-compose does not count)", () => {
    const result = run("infrastructure.auto-scaling", SERVICE);
    assert.equal(result.status, "open");
    assert.match(result.note, /no infrastructure-as-code in the repository/);
  });
});

describe("infrastructure.load-balancing", () => {
  it("passes on a Kubernetes Ingress", () => {
    const result = run("infrastructure.load-balancing", {
      ...SERVICE,
      "deploy/ingress.yaml": "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\nspec:\n  rules: []\n",
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /Kubernetes Ingress/);
    evidenceAt(result, "deploy/ingress.yaml", 2);
  });

  it("passes on a Service of type LoadBalancer but not on a ClusterIP Service", () => {
    const service = (type: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  type: ${type}\n  ports:\n    - port: 80\n`;
    const balanced = run("infrastructure.load-balancing", { ...SERVICE, "k8s/service.yaml": service("LoadBalancer") });
    assert.equal(balanced.status, "pass");
    assert.equal(evidenceAt(balanced, "k8s/service.yaml", 2).note, "Kubernetes Service of type LoadBalancer");
    const internal = run("infrastructure.load-balancing", { ...SERVICE, "k8s/service.yaml": service("ClusterIP") });
    assert.equal(internal.status, "fail");
    assert.match(internal.note, /^No load balancer in Kubernetes/);
  });

  it("passes on a Helm service whose values select LoadBalancer", () => {
    const result = run("infrastructure.load-balancing", { ...SERVICE, ...HELM_CHART, "charts/api/values.yaml": "service:\n  type: LoadBalancer\n  port: 80\ningress:\n  enabled: false\n" });
    assert.equal(result.status, "pass");
    evidenceAt(result, "charts/api/templates/service.yaml", 6);
  });

  it("fails on a Helm ingress left disabled", () => {
    const result = run("infrastructure.load-balancing", { ...SERVICE, ...HELM_CHART });
    assert.equal(result.status, "fail");
    assert.match(result.note, /ingress\.enabled is not true/);
    evidenceAt(result, "charts/api/templates/ingress.yaml", 3);
  });

  it("passes on a Terraform ALB", () => {
    const result = run("infrastructure.load-balancing", { ...SERVICE, "infra/alb.tf": 'resource "aws_lb" "api" {\n  load_balancer_type = "application"\n}\n' });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "infra/alb.tf", 1).note, "Terraform aws_lb");
  });

  it("passes, as implicit, on a fly.toml http_service", () => {
    const result = run("infrastructure.load-balancing", { ...SERVICE, "fly.toml": 'app = "api"\n\n[http_service]\n  internal_port = 3000\n' });
    assert.equal(result.status, "pass");
    assert.match(result.note, /\(implicit\): Fly proxy/);
    evidenceAt(result, "fly.toml", 3);
  });

  it("passes on a Pulumi load balancer", () => {
    const result = run("infrastructure.load-balancing", {
      ...SERVICE,
      "infra/index.ts": `import * as aws from "@pulumi/aws";\nimport * as awsx from "@pulumi/awsx";\nexport const lb = new awsx.lb.ApplicationLoadBalancer("api", {});\n`,
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /awsx\.lb\.ApplicationLoadBalancer/);
    evidenceAt(result, "infra/index.ts", 3);
  });

  it("is open without IaC", () => {
    const result = run("infrastructure.load-balancing", SERVICE);
    assert.equal(result.status, "open");
  });
});

describe("infrastructure.db-replication", () => {
  it("passes on a Multi-AZ RDS instance", () => {
    const result = run("infrastructure.db-replication", {
      ...SERVICE,
      "infra/db.tf": 'resource "aws_db_instance" "main" {\n  engine         = "postgres"\n  instance_class = "db.t4g.medium"\n  multi_az       = true\n}\n',
    });
    assert.equal(result.status, "pass");
    assert.equal(evidenceAt(result, "infra/db.tf", 1).note, "aws_db_instance.main: multi_az = true");
  });

  it("fails on a single RDS instance, pointing at it", () => {
    const result = run("infrastructure.db-replication", {
      ...SERVICE,
      "infra/network.tf": 'resource "aws_vpc" "main" {\n  cidr_block = "10.0.0.0/16"\n}\n',
      "infra/db.tf": 'resource "aws_db_instance" "main" {\n  engine = "postgres"\n}\n',
    });
    assert.equal(result.status, "fail");
    assert.equal(result.note, "Database defined without replication: aws_db_instance.main without replication");
    evidenceAt(result, "infra/db.tf", 1);
  });

  it("passes on an Aurora cluster with two instances", () => {
    const result = run("infrastructure.db-replication", {
      ...SERVICE,
      "infra/aurora.tf": 'resource "aws_rds_cluster" "main" {\n  engine = "aurora-postgresql"\n}\n\nresource "aws_rds_cluster_instance" "node" {\n  count              = 2\n  cluster_identifier = aws_rds_cluster.main.id\n}\n',
    });
    assert.equal(result.status, "pass");
    assert.match(result.note, /2 cluster instances/);
  });

  it("passes on a regional Cloud SQL instance and an RDS module with multi_az", () => {
    const cloudSql = run("infrastructure.db-replication", {
      ...SERVICE,
      "infra/sql.tf": 'resource "google_sql_database_instance" "main" {\n  database_version = "POSTGRES_16"\n  settings {\n    availability_type = "REGIONAL"\n  }\n}\n',
    });
    assert.equal(cloudSql.status, "pass");
    const module = run("infrastructure.db-replication", {
      ...SERVICE,
      "infra/rds.tf": 'module "db" {\n  source   = "terraform-aws-modules/rds/aws"\n  multi_az = true\n}\n',
    });
    assert.equal(module.status, "pass");
    evidenceAt(module, "infra/rds.tf", 1);
  });

  it("judges CloudNativePG clusters by their instances", () => {
    const cluster = (instances: number) => `apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: db\nspec:\n  instances: ${instances}\n`;
    const replicated = run("infrastructure.db-replication", { ...SERVICE, "k8s/db.yaml": cluster(3) });
    assert.equal(replicated.status, "pass");
    assert.equal(evidenceAt(replicated, "k8s/db.yaml", 2).note, "CloudNativePG cluster with 3 instances");
    const single = run("infrastructure.db-replication", { ...SERVICE, "k8s/db.yaml": cluster(1) });
    assert.equal(single.status, "fail");
  });

  it("fails on a CloudFormation DB instance without Multi-AZ", () => {
    const result = run("infrastructure.db-replication", {
      ...SERVICE,
      "cfn/db.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Database:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n",
    });
    assert.equal(result.status, "fail");
    evidenceAt(result, "cfn/db.yaml", 4);
  });

  it("is open when the IaC defines no database", () => {
    const result = run("infrastructure.db-replication", { ...SERVICE, "k8s/deployment.yaml": DEPLOYMENT });
    assert.equal(result.status, "open");
    assert.match(result.note, /defines no database/);
    evidenceAt(result, "k8s/deployment.yaml");
  });

  it("is open without IaC", () => {
    const result = run("infrastructure.db-replication", SERVICE);
    assert.equal(result.status, "open");
    assert.match(result.note, /no infrastructure-as-code/);
  });
});

describe("infrastructure.multi-region", () => {
  it("passes on Terraform providers in two regions", () => {
    const result = run("infrastructure.multi-region", {
      ...SERVICE,
      "infra/providers.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n\nprovider "aws" {\n  alias  = "eu"\n  region = "eu-west-1"\n}\n',
    });
    assert.equal(result.status, "pass");
    assert.equal(result.note, "Deployed to 2 regions: us-east-1 and eu-west-1");
    evidenceAt(result, "infra/providers.tf", 2);
    evidenceAt(result, "infra/providers.tf", 7);
  });

  it("passes on CDK stacks in two regions", () => {
    const result = run("infrastructure.multi-region", {
      ...SERVICE,
      "cdk.json": '{ "app": "npx ts-node bin/app.ts" }\n',
      "bin/app.ts": `import { App } from "aws-cdk-lib";\nimport { ApiStack } from "../lib/api-stack";\nconst app = new App();\nnew ApiStack(app, "Us", { env: { region: "us-east-1" } });\nnew ApiStack(app, "Eu", { env: { region: "eu-central-1" } });\n`,
    });
    assert.equal(result.status, "pass");
    evidenceAt(result, "bin/app.ts", 5);
  });

  it("fails on a single region", () => {
    const result = run("infrastructure.multi-region", { ...SERVICE, "infra/providers.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n' });
    assert.equal(result.status, "fail");
    assert.equal(result.note, "Single region: the infrastructure-as-code names only us-east-1");
    evidenceAt(result, "infra/providers.tf", 2);
  });

  it("fails on a fly.toml with only a primary region", () => {
    const result = run("infrastructure.multi-region", { ...SERVICE, "fly.toml": 'app = "api"\nprimary_region = "iad"\n' });
    assert.equal(result.status, "fail");
    assert.match(result.note, /only iad/);
  });

  it("does not take a staging environment in another region for multi-region", () => {
    const result = run("infrastructure.multi-region", {
      ...SERVICE,
      "infra/environments/production/main.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n',
      "infra/environments/staging/main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
    });
    assert.equal(result.status, "fail");
    assert.match(result.note, /only us-east-1/);
    evidenceAt(result, "infra/environments/production/main.tf", 2);
  });

  it("ignores manifests of test fixtures", () => {
    const result = run("infrastructure.auto-scaling", { ...SERVICE, "test/fixtures/k8s/hpa.yaml": HPA });
    assert.equal(result.status, "open");
  });

  it("is open when the region comes from a variable", () => {
    const result = run("infrastructure.multi-region", { ...SERVICE, "infra/providers.tf": 'provider "aws" {\n  region = var.region\n}\n' });
    assert.equal(result.status, "open");
    assert.match(result.note, /var\.region/);
    evidenceAt(result, "infra/providers.tf", 2);
  });

  it("is open without IaC", () => {
    const result = run("infrastructure.multi-region", SERVICE);
    assert.equal(result.status, "open");
  });
});
