import { App, Stack } from 'aws-cdk-lib';
import { MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AUTHORIZER, ROUTES, STREAM_CONSUMERS } from '../../../functions/manifest';
import { constructIdFor } from '../../../infra/astral-stack';
import { ALARM_DEFAULTS, Operations } from '../../../infra/constructs/operations';
import type { StreamConsumer } from '../../../infra/constructs/stream-consumer';
import { TABLE_DESIGN } from '../../../lib/repositories/table-design';
import type { SynthesizedApp } from '../synth-app';
import { sharedAssembly } from './shared';

interface CfnResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}
interface AlarmProperties {
  readonly AlarmActions?: unknown[];
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly Dimensions?: { Name: string; Value: unknown }[];
  readonly Metrics?: {
    Id: string;
    MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions?: { Name: string; Value: unknown }[] } };
  }[];
  readonly Threshold: number;
  readonly TreatMissingData?: string;
  readonly ComparisonOperator: string;
}

let synth: SynthesizedApp;
const resourcesOf = (type: string): Record<string, CfnResource> => synth.template.findResources(type) as Record<string, CfnResource>;
const alarms = (): AlarmProperties[] =>
  Object.values(resourcesOf('AWS::CloudWatch::Alarm')).map((r) => r.Properties as unknown as AlarmProperties);
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }): string =>
  synth.stack.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) as string;
const mentions = (value: unknown, text: string): boolean => (JSON.stringify(value) ?? '').includes(text);
/** An alarm's metrics, whether CloudFormation got them as one metric or as a metric-math list. */
const metricsOf = (alarm: AlarmProperties): { name: string; namespace: string; dimensions: { Name: string; Value: unknown }[] }[] =>
  alarm.MetricName
    ? [{ name: alarm.MetricName, namespace: alarm.Namespace ?? '', dimensions: alarm.Dimensions ?? [] }]
    : (alarm.Metrics ?? []).flatMap((m) =>
        m.MetricStat
          ? [
              {
                name: m.MetricStat.Metric.MetricName,
                namespace: m.MetricStat.Metric.Namespace,
                dimensions: m.MetricStat.Metric.Dimensions ?? [],
              },
            ]
          : [],
      );

/** Alarms, the topic, the dashboard, tracing and log retention (issue 15), on the shared synth. */
export function operationsSuite(): void {
  beforeAll(() => {
    synth = sharedAssembly();
  });

  it('sends every alarm to one SNS topic (SSL only), which the stack outputs', () => {
    const topics = Object.keys(resourcesOf('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    const topic = topics[0]!;
    expect((synth.template.toJSON().Outputs as Record<string, { Value: unknown }>).AlarmTopicArn?.Value).toEqual({ Ref: topic });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    expect(alarms().length).toBeGreaterThan(0);
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
      // A function nobody called has no datapoints: that is not an incident.
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it('alarms on each dead-letter queue holding any message', () => {
    for (const consumer of STREAM_CONSUMERS) {
      const queue = logicalIdOf((synth.stack.node.findChild(constructIdFor(consumer.name)) as StreamConsumer).failureQueue);
      const matching = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && mentions(a.Dimensions, queue));
      expect({ consumer: consumer.name, count: matching.length, threshold: matching[0]?.Threshold }).toEqual({
        consumer: consumer.name,
        count: 1,
        threshold: 1,
      });
    }
  });

  it('alarms on each stream consumer’s iterator age over 5 minutes', () => {
    for (const consumer of STREAM_CONSUMERS) {
      const fn = logicalIdOf((synth.stack.node.findChild(constructIdFor(consumer.name)) as StreamConsumer).handler.function);
      const matching = alarms().filter((a) => a.MetricName === 'IteratorAge' && mentions(a.Dimensions, fn));
      expect({ consumer: consumer.name, thresholds: matching.map((a) => a.Threshold) }).toEqual({
        consumer: consumer.name,
        thresholds: [ALARM_DEFAULTS.iteratorAgeMinutes * 60_000],
      });
    }
  });

  it('alarms on errors and throttles of every function of the stack, and runs each with active X-Ray tracing', () => {
    const functions = Object.entries(resourcesOf('AWS::Lambda::Function'));
    expect(functions).toHaveLength(ROUTES.length + 1 + STREAM_CONSUMERS.length);
    for (const [logicalId, fn] of functions) {
      expect({ logicalId, tracing: fn.Properties.TracingConfig }).toEqual({ logicalId, tracing: { Mode: 'Active' } });
      const faults = alarms().filter((a) => mentions(a.Metrics, `"${logicalId}"`));
      const metricNames = faults.flatMap((a) => (a.Metrics ?? []).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : [])));
      expect({ logicalId, metricNames: metricNames.sort() }).toEqual({ logicalId, metricNames: ['Errors', 'Throttles'] });
    }
    expect(AUTHORIZER.name).toBe('authorizer');
  });

  it('alarms on the API’s 5XX rate and p99 latency', () => {
    const api = alarms().filter((a) => metricsOf(a).some((m) => m.namespace === 'AWS/ApiGateway'));
    expect(api.map((a) => [metricsOf(a)[0]?.name, a.Threshold]).sort()).toEqual([
      ['5XXError', ALARM_DEFAULTS.api5xxRate],
      ['Latency', ALARM_DEFAULTS.apiP99Ms],
    ]);
    for (const alarm of api)
      expect(
        metricsOf(alarm)[0]
          ?.dimensions.map((d) => d.Name)
          .sort(),
      ).toEqual(['ApiName', 'Stage']);
  });

  it('alarms on throttled reads and writes of the table and of every index', () => {
    for (const name of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      const matching = alarms().filter((a) => (a.Metrics ?? []).some((m) => m.MetricStat?.Metric.MetricName === name));
      expect(matching).toHaveLength(1);
      const indexes = (matching[0]?.Metrics ?? []).flatMap((m) =>
        (m.MetricStat?.Metric.Dimensions ?? []).filter((d) => d.Name === 'GlobalSecondaryIndexName').map((d) => d.Value),
      );
      expect(indexes.sort()).toEqual(TABLE_DESIGN.indexes.map((index) => index.name).sort());
    }
  });

  it('keeps every log group for a bounded time, the API’s execution log group included', () => {
    const groups = Object.values(resourcesOf('AWS::Logs::LogGroup'));
    for (const group of groups) expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(groups.some((g) => mentions(g.Properties.LogGroupName, 'API-Gateway-Execution-Logs_'))).toBe(true);
  });

  it('has a dashboard of the same metrics', () => {
    const dashboards = Object.values(resourcesOf('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const metric of [
      'IteratorAge',
      'ApproximateNumberOfMessagesVisible',
      '5XXError',
      'Latency',
      'WriteThrottleEvents',
      'Errors',
      'Throttles',
    ]) {
      expect(body).toContain(metric);
    }
  });

  it('takes its thresholds and an email subscription from the settings the stack is given (cdk context)', () => {
    const stack = new Stack(new App(), 'OperationsSettings');
    const fn = LambdaFunction.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:eu-west-1:123456789012:function:f');
    const api = new RestApi(stack, 'Api', { deploy: true });
    api.root.addMethod('GET', new MockIntegration());
    const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    new Operations(stack, 'Operations', {
      functions: [{ name: 'f', kind: 'stream', function: fn }],
      consumers: [{ name: 'f', function: fn, failureQueue: new Queue(stack, 'Dlq') }],
      api,
      stageName: 'prod',
      table,
      settings: { email: 'oncall@example.com', iteratorAgeMinutes: 15, api5xxRate: 0.05, apiP99Ms: 1_500 },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Threshold: 15 * 60_000 });
    const thresholds = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => {
      const alarm = r.Properties as AlarmProperties;
      return [metricsOf(alarm)[0]?.name, alarm.Threshold];
    });
    expect(thresholds).toEqual(
      expect.arrayContaining([
        ['5XXError', 0.05],
        ['Latency', 1_500],
      ]),
    );
  });
}
