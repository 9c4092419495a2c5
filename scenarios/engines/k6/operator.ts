// `golive k6 operator`: the manifests that run a scenario on a Kubernetes cluster with
// k6-operator (k6's own distributed runner): a ConfigMap holding the bundled script and a
// TestRun that splits it over `parallelism` runner pods. Runners send their metrics to
// Prometheus (remote write, trends as native histograms), where `golive gate --prometheus`
// reads them back by testid.

import { stringify } from 'yaml'
import { K6_VERSION } from './binary.js'

export interface OperatorOptions {
  scenario: string
  script: string
  parallelism: number
  namespace: string
  /** the run's id: the testid tag on every sample, and part of the resource names */
  testId: string
  /** the system under test, as the runner pods reach it */
  target: string
  /** Prometheus remote-write endpoint the runners push to */
  prometheusRw: string
  image?: string
  /** runner resources, Kubernetes quantities */
  cpu?: string
  memory?: string
  /** a Secret whose keys become runner env (GOLIVE_HEADERS with auth headers, say): secrets stay
   *  out of the ConfigMap and out of the TestRun */
  secretEnv?: string
  /** variables the runners read from a Secret, one secretKeyRef each (the script's ${env:NAME}
   *  values, GOLIVE_HEADERS, GOLIVE_TARGET when it holds a secret); their values never appear here */
  secretKeys?: string[]
}

/** The Secret the runners read their secrets from: --secret-env, else golive-<testid>-secrets. */
export function operatorSecretName(o: Pick<OperatorOptions, 'secretEnv' | 'testId'>): string {
  return (
    o.secretEnv ??
    `golive-${o.testId}-secrets`
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .slice(0, 63)
      .replace(/-+$/, '')
  )
}

export interface OperatorManifests {
  configMap: Record<string, unknown>
  testRun: Record<string, unknown>
  yaml: string
}

export function operatorManifests(o: OperatorOptions): OperatorManifests {
  const name = `golive-${o.testId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '')
  const file = `${o.scenario}.k6.js`
  const secretKeys = [...new Set(o.secretKeys ?? [])]
  const secretName = operatorSecretName(o)
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-script`, namespace: o.namespace, labels: { 'app.kubernetes.io/managed-by': 'golive', 'golive/testid': o.testId } },
    data: { [file]: o.script },
  }
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name, namespace: o.namespace, labels: { 'app.kubernetes.io/managed-by': 'golive', 'golive/testid': o.testId } },
    spec: {
      parallelism: o.parallelism,
      // every runner gets an execution segment of the script's scenarios (k6-operator sets them)
      script: { configMap: { name: `${name}-script`, file } },
      arguments: '--out experimental-prometheus-rw --no-usage-report',
      cleanup: 'post',
      runner: {
        image: o.image ?? `grafana/k6:${K6_VERSION.replace(/^v/, '')}`,
        env: [
          ...(secretKeys.includes('GOLIVE_TARGET') ? [] : [{ name: 'GOLIVE_TARGET', value: o.target }]),
          // secrets come from the Secret when the pod starts: the manifest names keys, never values
          ...secretKeys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: secretName, key } } })),
          // tags every sample (the script reads it: a --tag flag would replace the script's tags)
          { name: 'GOLIVE_TESTID', value: o.testId },
          // one label value per runner pod, so the runners' series stay apart in Prometheus
          { name: 'GOLIVE_RUNNER', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'K6_PROMETHEUS_RW_SERVER_URL', value: o.prometheusRw },
          // trends as native histograms: Prometheus can then give any quantile over the whole run
          { name: 'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM', value: 'true' },
          // gauges (active VUs) reach Prometheus once a push: every second keeps the peak visible
          { name: 'K6_PROMETHEUS_RW_PUSH_INTERVAL', value: '1s' },
          { name: 'K6_NO_USAGE_REPORT', value: 'true' },
        ],
        ...(o.secretEnv ? { envFrom: [{ secretRef: { name: o.secretEnv } }] } : {}),
        resources: {
          requests: { cpu: o.cpu ?? '1', memory: o.memory ?? '1Gi' },
          limits: { cpu: o.cpu ?? '1', memory: o.memory ?? '1Gi' },
        },
      },
    },
  }
  const yaml =
    `# golive: run the '${o.scenario}' scenario on k6-operator (${o.parallelism} runners), testid ${o.testId}.\n` +
    `# kubectl apply -f this file; then: golive gate --prometheus <url> --testid ${o.testId} --scenario ${o.scenario}\n` +
    `${stringify(configMap)}---\n${stringify(testRun)}`
  return { configMap, testRun, yaml }
}
