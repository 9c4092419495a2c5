// Help texts: what each command does, its options, and the exit codes.

export const MAIN_HELP = `golive: is staging ready to go live? Load, checks, gates, one scorecard.

Usage: golive <command> [options]

Commands:
  loadtest   drive load scenarios against the target, judge them, report
  run        every scenario and check the environment enables (the nightly entry point)
  capacity   raise the arrival rate in steps until a step does not hold: max_rps, headroom
  check <id> run one check alone
  drill <id> a disaster-recovery drill: backup-restore, failover, rate-limit, rolling-restart (--dry-run: the plan)
  gate       re-judge a results.json against the gates (no load): golive gate --from FILE
  report     re-render a results.json: golive report --from FILE [--format F]
  init       write a first golive.config.ts for your target: golive init --target URL [--yes]
  scenario   write a scenario file: from-har FILE.har (a browser recording), from-openapi SPEC
  checklist  the go-live checklist of a run (Markdown for the release ticket, HTML)
  history    the runs in the history store, their verdicts, and the trend of p95, errors, grades
  k6         k6 build <scenario>: the scenario as a plain k6 script;
             k6 operator <scenario> --parallelism N: k6-operator manifests for a cluster
  staging    the reference staging stack on this machine: golive staging up|down|status|fault|heal

Common options:
  -c, --config FILE   golive.config.ts / .yaml / .json (default: found in the current folder)
  -e, --env NAME      the environment from the config (default: defaultEnv, or the demo target)
  -o, --out DIR       write the run's files here (default: .golive/runs/<time>/, and .golive/runs/latest)
      --ci            CI behaviour: plain progress lines, JUnit and Markdown written
      --verbose       terminal report: every scorecard row and table in full (loadtest, run, gate, report)
  -h, --help          help for a command

Exit codes: 0 go, 1 no-go (a blocker gate failed, or the run was partial), 2 bad usage or config.
`

export const HELP: Record<string, string> = {
  loadtest: `Usage: golive loadtest [options]

Drives load scenarios (default: the environment's scenarios, or 'load'), then gates and reports.

  -t, --target URL        the system to load (overrides the environment's baseUrl); with no
                          --scenario and no --env, users GET that URL
  -s, --scenario NAME|FILE  smoke, load, stress, spike, soak, or a scenario file (repeatable)
  -u, --vus N             concurrent users (closed model) or start rate per second (open model)
  -d, --duration D        e.g. 30s, 5m (replaces the scenario's stages with a constant level)
      --iterations N      stop after N journeys in total
      --engine E          embedded (default) or k6 (npm run install-k6 installs it)
      --workers N|auto    embedded engine: worker threads (default 1; auto: one per core, less one for a local target)
      --segments N        k6 engine: N k6 processes, one execution segment each, merged exactly
      --ca FILE           CA certificate (PEM) for an https target
      --baseline B        compare with an earlier run for the rise< / drop< gates: latest (the
                          newest complete run in the history store), a runs directory, a run
                          directory or a results.json
  -f, --format json       print results.json on stdout instead of the table
${live()}
${common()}`,
  run: `Usage: golive run [--env NAME] [--only ID,...] [options]

Runs every scenario and check the environment enables, then gates and reports.
      --only ID,...       only these (load for the scenarios, or check ids); gates on the
                          rest read "not run"
      --baseline B        compare with an earlier run (rise< / drop< gates): latest, a runs
                          directory, a run directory or a results.json
      --ci                CI behaviour: plain progress, JUnit and Markdown on, the summary
                          appended to $GITHUB_STEP_SUMMARY
  plus the loadtest options (--dashboard and --out-metrics among them).
${common()}`,
  capacity: `Usage: golive capacity [--target URL | --env NAME] [--scenario S] [--max-rate N]
                       [--step-rate N] [--step-duration D] [--out DIR]

Finds the capacity: the scenario in the open model (journeys started per second, whatever the
server's speed) at --step-rate, then 2×, 3× … --step-rate, each step for --step-duration, until
a step does not hold. A step holds when the system keeps up (the requests completed are within
5 % of what the rate asks for, no arrival dropped, the median not rising steadily across the
step) and the scenario's blocker gates on latency and errors hold over it (default: the
go-live preset's p95 and error-rate gates). Reports capacity.<scenario>.max_rps (the last step
that held), .max_vus (users busy at it), the step that broke and why, and with the
environment's launchLoad { rps } or { vus }, .headroom = capacity ÷ launch load (go-live gate:
>= 2). Embedded engine only. Ctrl-C writes the steps judged so far, marked partial (exit 1).
  -t, --target URL        the system (a GET journey on that URL without --scenario/--env)
  -s, --scenario NAME|FILE  the scenario (default: the environment's first)
      --step-rate N       journeys per second added each step, and the first step (default 10)
      --max-rate N        stop after the step at this rate (default 200)
      --step-duration D   each step's length (default 10s; at least 3s)
      --time-limit D      the whole search ends before a step that would pass this (default 10m)
      --max-vus N         cap on concurrent users in a step (default 1000): more arrivals
                          than it allows are dropped, and the step does not hold
      --workers N|auto    worker threads of the embedded engine (default 1; auto: one per core, less one for a local target)
      --ca FILE           CA certificate (PEM) for an https target
  -f, --format json       print results.json on stdout instead of the table
${live()}
                          (the steps stream as one scenario, seconds counted from the start)
${common()}`,
  check: `Usage: golive check <id> [--target URL] [--ca FILE] [options]

Runs one check alone and prints its result as JSON. Exit 0 when the gates in force on its
figures pass, 1 when a blocker among them fails, 2 when it could not measure (bad settings).
      --allow-drills      run a drill (rate-limit, alerts) although the environment does not set
                          allowDrills: your consent for this one run
${common()}`,
  init: `Usage: golive init [--target URL] [--prometheus URL] [--ca FILE] [--env NAME] [--yes]

Writes a first golive.config.ts and scenarios/first.ts for your system, from a read-only probe
of it (a few GET requests): https and HSTS, a login form, /health, /ready, /metrics, an OpenAPI
document (/openapi.json, /swagger.json, /v3/api-docs). Adds .golive/ to .gitignore. Never
overwrites a file (exit 2 naming it). Asks for the URL only on a terminal without --yes.
  -t, --target URL        the base URL of your staging system
      --prometheus URL    your Prometheus: adds the monitoring check
      --ca FILE           the CA (PEM) that signed an https target's certificate
  -e, --env NAME          the environment's name in the config (default staging)
  -y, --yes               ask nothing
`,
  scenario: `Usage: golive scenario from-har FILE.har [--out FILE.ts] [--keep-assets]
       golive scenario from-openapi SPEC [--out FILE.ts]

from-har      a browser recording (Chrome DevTools: Network → Export HAR; Playwright:
              newContext({ recordHar: { path } })) as a scenario: the target's requests in
              order (the first page's origin; other origins left out), static assets left out,
              followed redirects folded into their step, think times from the timestamps,
              cookies left to the jar (Cookie headers never copied), and captures inferred
              where a later request sends back a value an earlier response carried (CSRF
              tokens in forms, <meta> or cookies, ids in JSON, Location headers), each one
              commented. Secrets (Authorization, API keys, password fields) are not copied:
              they become {{variables}} the config sets from \${env:NAME}.
      --keep-assets   keep CSS, scripts, images and fonts as steps
from-openapi  an OpenAPI 3.x or Swagger 2.0 document (a file, JSON or YAML, or its http(s)
              URL) as a smoke journey: one step per operation, create → read → change →
              delete, example bodies and parameters, the documented 2xx/3xx statuses checked,
              an id a POST returns captured for the operations on that resource.
  -o, --out FILE.ts   write the scenario there (never over an existing file); default stdout
Both print on stderr what was inferred and what could not be translated. Then:
  golive loadtest -s FILE.ts --target URL --vus 1 --iterations 1    # one walk, to try it
Exit codes: 0 written, 2 bad input (the file, the place in it and the fix).
`,
  drill: `Usage: golive drill <backup-restore|failover|rate-limit|rolling-restart> [--dry-run] [options]
       golive drill --recover [--env NAME]

Runs one disaster-recovery drill, with live progress on stderr and the result as JSON on stdout.
Drills break things on purpose: they run only where the environment sets allowDrills (or with
--allow-drills), against loopback or the environment's drillHosts. Rollbacks always run, also
on Ctrl-C (a second Ctrl-C leaves at once, without them). Each fault is written to a drill
journal first: a golive killed mid-drill (kill -9) leaves its rollback there, and the next
golive drill, run or check against the environment runs it first (docs/drills.md).
Exit 0 when the gates on its figures pass, 1 when a blocker fails, 2 when it could not measure.
      --recover           only run the environment's pending rollbacks (exit 0: nothing left)
      --dry-run           print the plan (probes, faults, rollbacks, deadlines); do nothing
      --allow-drills      your consent for this one run
  -t, --target URL        the edge the probes go through (default: the environment's baseUrl)
      --ca FILE           the CA of the target's certificate
${common()}`,
  k6: `Usage: golive k6 build <scenario> [--out FILE] [--target URL] [--vus N] [--duration D]
       golive k6 operator <scenario> --parallelism N [--namespace NS] [--target URL] [--out FILE]

build     bundles the scenario, its data and a small k6 runtime into one plain k6 script
          (default ./<scenario>.k6.js) that \`k6 run\` accepts unchanged. The gates k6 can
          express become k6 thresholds, so k6 exits 99 when golive would say no-go.
          At run time GOLIVE_TARGET overrides the target and GOLIVE_HEADERS (JSON) adds headers.
operator  writes a ConfigMap with that script and a k6-operator TestRun (k6.io/v1alpha1)
          splitting it over N runner pods that push metrics to Prometheus remote write:
      --testid ID          tags every sample (default <scenario>-<time>)
      --prometheus-rw URL  remote-write endpoint as the pods reach it
      --image IMG  --cpu Q  --memory Q  --secret-env SECRET (runner env from a Secret)
          Afterwards: golive gate --prometheus URL --testid ID --scenario NAME
${common()}`,
  gate: `Usage: golive gate --from results.json [--baseline B] [--out DIR] [--format json]

Re-judges a run against the gates of the config (if one is found) or those the run recorded,
and against the baseline it recorded, or --baseline B (latest, a runs dir, a results.json).
Writes scorecard.json, junit.xml and summary.md to --out when given.

       golive gate --prometheus URL --testid ID --scenario NAME [--since 24h] [--out DIR]
Judges a k6-operator run (golive k6 operator) from the figures its runners wrote to
Prometheus: counts summed over runners, percentiles from the merged native histograms.
${common()}`,
  checklist: `Usage: golive checklist [--from results.json] [--format markdown|html] [--out DIR]

The go-live checklist of a run (default: the latest in the history store): every gate as an
item, checked, failed or not measured, with its figure, target and a link to the evidence,
grouped as Performance, Security, Data safety, Resilience, Observability, User experience;
then the config's checklist.manual items (on-call rota, runbooks) with who signed them.
Prints Markdown (or --format html); with --out DIR writes checklist.md and checklist.html.
${common()}`,
  history: `Usage: golive history [--env NAME] [--last N] [--dir DIR] [--format terminal|markdown|json]

The runs in the history store (default .golive/runs, or the config's outDir), oldest first,
with their verdicts, and the trend of p95, error rate, TLS and headers grades, failover RTO,
restore time and LCP over the last N runs (default 10).
${common()}`,
  report: `Usage: golive report --from results.json [--format terminal|json|scorecard|junit|markdown|html] [--out DIR]

Re-renders a run's report without running anything. --format html is report.html: one
self-contained page (verdict, scorecard, charts) that opens offline.
${common()}`,
  staging: `Usage: golive staging up|down|status|fault <name>|heal [options]

The reference staging stack, natively on 127.0.0.1 from Debian packages (no containers): HAProxy
edge (TLS), two app instances, PostgreSQL primary + streaming replica, Redis, Prometheus,
Alertmanager. docker-compose.staging.yml describes the same stack for a container engine.

  up        start it (idempotent), ready within 60 s; prints the URLs
  down      stop exactly the processes up started, remove their data, check every port is free
  status    each component's health (exit 1 when one is unhealthy); --format json
  fault F   kill-app1 | stop-primary | promote-replica (until heal)
            slow-db (60 s) | error-burst (30 s): end by themselves
  heal      undo every fault: restart what is down, rebuild primary + replica after a promotion
  certs     only make the CA and edge certificate (docker-compose.staging.yml mounts them)

      --base-port N         ports N .. N+60 (default 18400; env GOLIVE_STAGING_BASE_PORT)
      --state-dir DIR       pids, logs, data, CA (default .golive/staging; env GOLIVE_STAGING_DIR)
      --seed-orders N       orders seeded into PostgreSQL (default 100000)
      --webhook-port N      where Alertmanager delivers (default base+60)
      --login-rate-limit N  POST /api/login per client IP per second before 429 (default 100)
Exit codes: 0 done, 1 status: a component is unhealthy, 2 bad usage, a missing package, a port
in use, or a component that did not become healthy (named, with its log).
`,
}

/** The live outputs: for every command that drives load (cli/live/index.ts). */
export function live(): string {
  return `      --dashboard [PORT]  a live page on http://127.0.0.1:PORT/ (default: a free port, printed):
                          per-second latency, throughput, errors and users per scenario, then
                          the scorecard; it closes when the run ends (docs/outputs.md)
      --dashboard-keep    keep the dashboard open after the run, until Ctrl-C
      --out-metrics K=URL stream the per-second figures while the run goes (repeatable):
                          prometheus-rw=URL (remote write, e.g. .../api/v1/write) or
                          otlp=URL (OTLP/HTTP JSON; a base URL gets /v1/metrics). Best effort:
                          a failure warns, never changes the verdict (docs/recipes/metrics-out.md)
      --testid ID         the testid label of those metrics (default: the run id)`
}

function common(): string {
  return `  -c, --config FILE   -e, --env NAME   -o, --out DIR   --ci   -h, --help
Exit codes: 0 go, 1 no-go, 2 bad usage or config.`
}
