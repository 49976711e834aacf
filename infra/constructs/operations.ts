import { CfnOutput, Duration, Fn, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  type IAlarm,
  type IMetric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../lib/repositories/table-design';
import { METRICS_NAMESPACE } from '../../lib/config/observability';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';

/** What an operator tunes (cdk context `astral:alarm…`, infra/app.ts); every field has a default. */
export interface AlarmSettings {
  /** Where alarm notifications go by email, besides the topic itself (optional). */
  readonly email?: string;
  /** A stream consumer is late when its oldest record is older than this (IteratorAge, maximum). */
  readonly iteratorAgeMinutes?: number;
  /** The stage's 5XX share of requests, over 5 minutes, twice in a row (0.01 = 1%). */
  readonly api5xxRate?: number;
  /** The stage's p99 latency, over 5 minutes, three times in a row. */
  readonly apiP99Ms?: number;
}

export const ALARM_DEFAULTS = { iteratorAgeMinutes: 5, api5xxRate: 0.01, apiP99Ms: 2_000 } as const;

export interface MonitoredFunction {
  readonly name: string;
  readonly kind: 'route' | 'authorizer' | 'stream';
  readonly function: IFunction;
}

export interface MonitoredConsumer {
  readonly name: string;
  readonly function: IFunction;
  readonly failureQueue: Queue;
}

export interface OperationsProps {
  readonly functions: readonly MonitoredFunction[];
  readonly consumers: readonly MonitoredConsumer[];
  readonly api: RestApi;
  readonly stageName: string;
  readonly table: Table;
  readonly settings?: AlarmSettings;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * What tells an operator before data is lost (issue 15, docs/operations.md): one SNS topic every alarm
 * notifies, the alarms, a dashboard of the same metrics, and the API's execution log group with a
 * retention. Missing data never alarms: a function nobody called has no datapoints, and that is not
 * an incident.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  readonly executionLogs: LogGroup;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    const settings = { ...ALARM_DEFAULTS, ...props.settings };
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'Astral alarms', enforceSSL: true });
    if (settings.email) this.topic.addSubscription(new EmailSubscription(settings.email));
    new CfnOutput(Stack.of(this), 'AlarmTopicArn', {
      value: this.topic.topicArn,
      description: 'SNS topic every alarm notifies (subscribe your pager or chat here)',
    });

    const queueAlarms = props.consumers.map((consumer) => this.deadLetterAlarm(consumer));
    const iteratorAlarms = props.consumers.map((consumer) => this.iteratorAgeAlarm(consumer, settings.iteratorAgeMinutes));
    const functionAlarms = props.functions.map((fn) => this.functionAlarm(fn));
    const apiAlarms = this.apiAlarms(props.api, props.stageName, settings.api5xxRate, settings.apiP99Ms);
    const tableAlarms = this.tableAlarms(props.table);

    // API Gateway creates this group on its first ERROR line and keeps it forever: created here, it has a retention.
    this.executionLogs = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: Fn.join('', ['API-Gateway-Execution-Logs_', props.api.restApiId, `/${props.stageName}`]),
      retention: RetentionDays.ONE_MONTH,
    });

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: Fn.join('-', ['astral', Stack.of(this).stackName]) });
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...queueAlarms, ...iteratorAlarms, ...apiAlarms, ...tableAlarms, ...functionAlarms],
        width: 24,
      }),
    );
    this.dashboard.addWidgets(
      graph('API requests, 4XX, 5XX', [apiMetric(props.api, props.stageName, 'Count', 'Sum'), ...this.apiErrorMetrics(props)]),
      graph('API latency p50 / p99 (ms)', [
        apiMetric(props.api, props.stageName, 'Latency', 'p50'),
        apiMetric(props.api, props.stageName, 'Latency', 'p99'),
      ]),
      graph('Route 5XX and latency p99 (EMF, by route)', [
        new MathExpression({
          expression: `SEARCH('{${METRICS_NAMESPACE},service,route} MetricName="Status5xx"', 'Sum', 300)`,
          label: '5xx',
          period: FIVE_MINUTES,
        }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda errors + throttles',
        props.functions.map((fn) => functionFaults(fn)),
      ),
      graph(
        'Stream iterator age (max, ms)',
        props.consumers.map((c) => c.function.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1), label: c.name })),
      ),
      graph(
        'Dead letters (visible)',
        props.consumers.map((c) => c.failureQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), label: c.name })),
      ),
      graph('DynamoDB throttled events', [
        ...tableThrottles(props.table, 'ReadThrottleEvents'),
        ...tableThrottles(props.table, 'WriteThrottleEvents'),
      ]),
    );
  }

  private alarm(id: string, metric: IMetric, options: { threshold: number; evaluationPeriods?: number; description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `${options.description} See docs/operations.md.`,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  /** A record the consumer gave up on: the projection or the audit log is missing something until redriven. */
  private deadLetterAlarm(consumer: MonitoredConsumer): IAlarm {
    return this.alarm(
      `${consumer.name}-dead-letters`,
      consumer.failureQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      {
        threshold: 1,
        description: `${consumer.name}: stream records were dead-lettered (the stream keeps them 24 h): redrive them.`,
      },
    );
  }

  private iteratorAgeAlarm(consumer: MonitoredConsumer, minutes: number): IAlarm {
    return this.alarm(
      `${consumer.name}-iterator-age`,
      consumer.function.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(1) }),
      {
        threshold: minutes * 60_000,
        evaluationPeriods: 5,
        description: `${consumer.name}: its oldest unprocessed stream record is older than ${minutes} min for 5 min (falling behind or stuck).`,
      },
    );
  }

  /**
   * A Lambda error here is a crash, a timeout or an init failure: the HTTP pipeline answers every
   * error it can see with a response, so any error and any throttle is worth a look.
   */
  private functionAlarm(fn: MonitoredFunction): IAlarm {
    return this.alarm(`${fn.name}-errors-throttles`, functionFaults(fn), {
      threshold: 1,
      description: `${fn.name} (${fn.kind}): Lambda errors (crash, timeout, init) or throttles in 5 min.`,
    });
  }

  private apiErrorMetrics(props: OperationsProps): IMetric[] {
    return [apiMetric(props.api, props.stageName, '4XXError', 'Sum'), apiMetric(props.api, props.stageName, '5XXError', 'Sum')];
  }

  private apiAlarms(api: RestApi, stageName: string, rate: number, p99Ms: number): IAlarm[] {
    return [
      // 5XXError is 1 or 0 per request: its average is the rate.
      this.alarm('api-5xx-rate', apiMetric(api, stageName, '5XXError', 'Average'), {
        threshold: rate,
        evaluationPeriods: 2,
        description: `The API answered more than ${rate * 100}% of requests with a 5XX for 10 min.`,
      }),
      this.alarm('api-latency-p99', apiMetric(api, stageName, 'Latency', 'p99'), {
        threshold: p99Ms,
        evaluationPeriods: 3,
        description: `The API's p99 latency was over ${p99Ms} ms for 15 min.`,
      }),
    ];
  }

  /** Reads and writes apart: at most 10 metrics in an alarm's expression, and the table has 7 indexes. */
  private tableAlarms(table: Table): IAlarm[] {
    return (['ReadThrottleEvents', 'WriteThrottleEvents'] as const).map((name) =>
      this.alarm(`table-${name}`, sumOf(tableThrottles(table, name), name), {
        threshold: 1,
        description: `DynamoDB throttled ${name === 'ReadThrottleEvents' ? 'reads' : 'writes'} on the table or an index (on-demand: a sudden spike beyond its previous peak, or a hot partition).`,
      }),
    );
  }
}

function apiMetric(api: RestApi, stageName: string, metricName: string, statistic: string, label?: string): Metric {
  return new Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: { ApiName: api.restApiName, Stage: stageName },
    statistic,
    period: FIVE_MINUTES,
    ...(label ? { label } : {}),
  });
}

/** Errors plus throttles of one function; metric ids carry its name, as a graph of all of them needs unique ids. */
function functionFaults(fn: MonitoredFunction): MathExpression {
  const id = fn.name.replace(/[^A-Za-z0-9]/g, '_');
  return new MathExpression({
    expression: `FILL(errors_${id}, 0) + FILL(throttles_${id}, 0)`,
    usingMetrics: {
      [`errors_${id}`]: fn.function.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
      [`throttles_${id}`]: fn.function.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
    },
    label: fn.name,
    period: FIVE_MINUTES,
  });
}

function tableThrottles(table: Table, metricName: 'ReadThrottleEvents' | 'WriteThrottleEvents'): Metric[] {
  const metric = (dimensions: Record<string, string>, label: string) =>
    new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap: dimensions, statistic: 'Sum', period: FIVE_MINUTES, label });
  return [
    metric({ TableName: table.tableName }, `table ${metricName}`),
    ...TABLE_DESIGN.indexes.map((index) =>
      metric({ TableName: table.tableName, GlobalSecondaryIndexName: index.name }, `${index.name} ${metricName}`),
    ),
  ];
}

function sumOf(metrics: readonly Metric[], label: string): MathExpression {
  const usingMetrics: Record<string, IMetric> = {};
  metrics.forEach((metric, i) => {
    usingMetrics[`m${i}`] = metric;
  });
  return new MathExpression({
    expression: Object.keys(usingMetrics)
      .map((key) => `FILL(${key}, 0)`)
      .join(' + '),
    usingMetrics,
    label,
    period: FIVE_MINUTES,
  });
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: 12 });
}
