import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { WORKSPACE_ROOT } from '../docs/app-configs';
import { ofKind, overlayNames, renderOverlay, type KubernetesObject } from './render-manifests';

// The alerts and the dashboard query metrics by name; a renamed metric would silently leave an alert that
// never fires. Every series they name must be defined by the code (prom-client) or by Strimzi's Kafka
// Exporter, and every label matcher must use a label the metric has.

const MONITORING = join(WORKSPACE_ROOT, 'k8s', 'base', 'monitoring');
const RUNBOOKS = join(WORKSPACE_ROOT, 'docs', 'runbooks');
/** What kustomize replaces with the base URL of runbooks.yaml (kustomization.yaml, replacements). */
const RUNBOOK_PLACEHOLDER = 'RUNBOOK_BASE_URL';
const KAFKA_EXPORTER: Record<string, string[]> = {
  kafka_consumergroup_lag: ['consumergroup', 'topic', 'partition'],
  kafka_topic_partition_current_offset: ['topic', 'partition'],
};
const TARGET_LABELS = ['namespace', 'pod', 'job', 'instance', 'container', 'service'];
const HISTOGRAM_SUFFIXES = /_(bucket|count|sum)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Metric name → its label names, from every `new Counter|Gauge|Histogram({ name, labelNames })` of apps and libs. */
const definedMetrics = new Map<string, string[]>();
for (const file of ['apps', 'libs'].flatMap((dir) => sourceFiles(join(WORKSPACE_ROOT, dir)))) {
  const source = readFileSync(file, 'utf8');
  for (const match of source.matchAll(
    /new (?:Counter|Gauge|Histogram|Summary)(?:<[^>]*>)?\(\{([\s\S]*?)\}\)/g,
  )) {
    const name = /name:\s*'([^']+)'/.exec(match[1])?.[1];
    const labels = /labelNames:\s*\[([^\]]*)\]/.exec(match[1])?.[1] ?? '';
    if (name)
      definedMetrics.set(
        name,
        [...labels.matchAll(/'([^']+)'/g)].map((label) => label[1]),
      );
  }
}

const rule = parse(readFileSync(join(MONITORING, 'alerts.yaml'), 'utf8')) as {
  spec: {
    groups: {
      name: string;
      rules: {
        alert: string;
        expr: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      }[];
    }[];
  };
};
const alerts = rule.spec.groups.flatMap((group) => group.rules);
const dashboard = JSON.parse(readFileSync(join(MONITORING, 'lead-platform.dashboard.json'), 'utf8')) as {
  uid: string;
  templating: { list: { name: string }[] };
  panels: { title: string; type: string; datasource?: { uid: string }; targets?: { expr: string }[] }[];
};
const panels = dashboard.panels.filter((panel) => panel.type !== 'row');

/** Problems of one PromQL expression: unknown series, or matchers on labels the series does not have. */
function queryProblems(expr: string): string[] {
  const problems: string[] = [];
  for (const [, series] of expr.matchAll(/\b((?:lead|persistence|http|kafka)_[a-z0-9_]+)\b/g)) {
    const metric = series.replace(HISTOGRAM_SUFFIXES, (suffix) => (definedMetrics.has(series) ? suffix : ''));
    if (!definedMetrics.has(metric) && !(metric in KAFKA_EXPORTER))
      problems.push(`${series}: no such metric`);
  }
  for (const [, series, matchers] of expr.matchAll(/\b([a-z_][a-z0-9_]*)\{([^}]*)\}/g)) {
    const metric = definedMetrics.has(series) ? series : series.replace(HISTOGRAM_SUFFIXES, '');
    const labels = [
      ...(definedMetrics.get(metric) ?? KAFKA_EXPORTER[metric] ?? []),
      ...TARGET_LABELS,
      ...(series.endsWith('_bucket') ? ['le'] : []),
    ];
    for (const [, label] of matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) {
      if (!labels.includes(label)) problems.push(`${series}: no label ${label}`);
    }
  }
  return problems;
}

describe('monitoring (k8s/base/monitoring)', () => {
  it('finds the metrics the code defines', () => {
    expect(definedMetrics.get('lead_connector_outcomes_total')).toEqual(['destination', 'outcome']);
    expect(definedMetrics.has('lead_outbox_depth')).toBe(true);
    expect(queryProblems('sum(rate(lead_intake_totl[5m]))')).toEqual(['lead_intake_totl: no such metric']);
    expect(queryProblems('lead_connector_outcomes_total{destinaton="x"}')).toEqual([
      'lead_connector_outcomes_total: no label destinaton',
    ]);
  });

  it('alerts only on series that exist, with labels they have', () => {
    expect(
      alerts.flatMap((alert) => queryProblems(alert.expr).map((problem) => `${alert.alert}: ${problem}`)),
    ).toEqual([]);
  });

  it('alerts on what an operator must act on: speed to lead, dead letters, lag, outbox, circuits', () => {
    const exprs = alerts.map((alert) => alert.expr).join('\n');
    expect(exprs).toContain('lead_connector_speed_to_lead_seconds_bucket{le="300"}');
    expect(exprs).toContain('lead_connector_in_flight_records');
    expect(exprs).toMatch(/kafka_topic_partition_current_offset\{topic=~"[^"]*dlq/);
    expect(exprs).toContain('kafka_consumergroup_lag');
    expect(exprs).toContain('lead_outbox_depth');
    expect(exprs).toContain('lead_connector_circuit_state');
    expect(exprs).toContain('lead_connector_consumption_paused');
    expect(exprs).toContain('lead_consumer_partition_stalled_seconds');
    expect(exprs).toContain('lead_connector_crm_budget_wait_seconds_bucket{le="0.25"}');
  });

  it('alerts on the gateway itself: down, 5xx, refused credentials, no intake in business hours, slow', () => {
    const exprOf = (name: string) => alerts.find((alert) => alert.alert === name)?.expr ?? '';
    expect(exprOf('LeadGatewayDown')).toContain('absent(up{job="gateway"}');
    expect(exprOf('LeadGatewayErrors')).toMatch(/http_requests_total\{[^}]*status=~"5\.\."/);
    expect(exprOf('LeadGatewayAuthFailures')).toMatch(/status=~"401\|403"/);
    expect(exprOf('LeadIntakeStopped')).toMatch(/lead_intake_total[\s\S]*hour\(\)[\s\S]*day_of_week\(\)/);
    expect(exprOf('LeadGatewaySlow')).toContain(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{route="/lead-delivery"}',
    );
  });

  it('gives every alert a runbook in docs/runbooks and a runbook_url to it', () => {
    const problems = alerts.flatMap((alert) => [
      ...(alert.annotations?.['runbook_url'] === `${RUNBOOK_PLACEHOLDER}/${alert.alert}.md`
        ? []
        : [`${alert.alert}: runbook_url must be ${RUNBOOK_PLACEHOLDER}/${alert.alert}.md`]),
      ...(existsSync(join(RUNBOOKS, `${alert.alert}.md`))
        ? []
        : [`${alert.alert}: no docs/runbooks/${alert.alert}.md`]),
    ]);
    expect(problems).toEqual([]);
    const orphans = readdirSync(RUNBOOKS).filter(
      (file) => file !== 'README.md' && !alerts.some((alert) => `${alert.alert}.md` === file),
    );
    expect(orphans).toEqual([]);
  });

  it.each(alerts.map((alert) => alert.alert))(
    'has a runbook for %s that says what it means, how to check, how to fix',
    (name) => {
      const runbook = readFileSync(join(RUNBOOKS, `${name}.md`), 'utf8');
      expect(runbook.startsWith(`# ${name}\n`)).toBe(true);
      for (const section of ['## What it means', '## How to check', '## How to fix'])
        expect({ name, section, present: runbook.includes(`\n${section}\n`) }).toEqual({
          name,
          section,
          present: true,
        });
      expect(runbook).toMatch(/```sh\n[\s\S]*(kubectl|npm run dlq)/);
    },
  );

  it('renders each runbook_url from the one base URL of runbooks.yaml, in every overlay', () => {
    const [config] = ofKind<{ data: { baseUrl: string } }>(
      parseAllDocuments(readFileSync(join(MONITORING, 'runbooks.yaml'), 'utf8')).map(
        (document) => document.toJS() as KubernetesObject,
      ),
      'ConfigMap',
    );
    expect(config.data.baseUrl).toMatch(/^https:\/\/.+\/docs\/runbooks$/);
    for (const overlay of overlayNames()) {
      const objects = renderOverlay(overlay);
      expect(objects.some((object) => object.metadata.name === 'lead-platform-runbooks')).toBe(false);
      const rendered = ofKind<typeof rule>(objects, 'PrometheusRule').flatMap((object) =>
        object.spec.groups.flatMap((group) => group.rules),
      );
      expect(rendered.map((alert) => alert.annotations?.['runbook_url'])).toEqual(
        alerts.map((alert) => `${config.data.baseUrl}/${alert.alert}.md`),
      );
    }
  });

  it('gives every alert a severity, a summary and a description, and a unique name', () => {
    alerts.forEach((alert) => {
      expect(['critical', 'warning']).toContain(alert.labels?.['severity']);
      expect(alert.annotations?.['summary']).toBeTruthy();
      expect(alert.annotations?.['description']).toBeTruthy();
    });
    expect(new Set(alerts.map((alert) => alert.alert)).size).toBe(alerts.length);
  });

  it('has a dashboard whose every query names existing series, through the chosen data source', () => {
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual(['datasource', 'namespace']);
    panels.forEach((panel) => {
      expect({ panel: panel.title, datasource: panel.datasource?.uid }).toEqual({
        panel: panel.title,
        datasource: '${datasource}',
      });
      expect(panel.targets?.length).toBeGreaterThan(0);
    });
    const problems = panels.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) =>
        queryProblems(target.expr).map((problem) => `${panel.title}: ${problem}`),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('shows intake and status codes, warnings by field, lag, CRM outcomes and speed-to-lead percentiles', () => {
    const exprs = panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)).join('\n');
    expect(exprs).toContain('sum by (outcome) (rate(lead_intake_total');
    expect(exprs).toContain('sum by (status) (rate(http_requests_total');
    expect(exprs).toContain('sum by (field, action) (increase(lead_validation_warnings_total');
    expect(exprs).toContain('kafka_consumergroup_lag');
    expect(exprs).toContain('sum by (destination, outcome) (rate(lead_connector_outcomes_total');
    for (const quantile of ['0.5', '0.9', '0.99']) {
      expect(exprs).toContain(
        `histogram_quantile(${quantile}, sum by (le, destination) (rate(lead_connector_speed_to_lead_seconds_bucket`,
      );
    }
  });
});
