package io.archscaler.hpa;

import io.archscaler.scaler.hpa.Hpa;
import io.archscaler.scaler.hpa.HpaBehavior;
import io.archscaler.scaler.hpa.HpaMetric;
import io.archscaler.scaler.hpa.MetricSourceType;
import io.archscaler.scaler.hpa.MetricTargetType;
import io.archscaler.scaler.hpa.ScalingPolicy;
import io.archscaler.scaler.hpa.ScalingRules;
import io.archscaler.scaler.hpa.SelectPolicy;
import io.archscaler.scaler.hpa.WorkloadRef;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HpaTranslationTest {
    /** As {@code kubectl get hpa checkout -o yaml} prints it (server-side defaults applied). */
    static final String CHECKOUT_HPA = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: checkout
              namespace: shop
              resourceVersion: "48213"
              uid: 0c5d1f3e-8b1a-4a57-9e55-3f2f4a1b9c77
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: checkout
              minReplicas: 2
              maxReplicas: 40
              metrics:
              - type: Pods
                pods:
                  metric:
                    name: http_requests_per_second
                  target:
                    type: AverageValue
                    averageValue: 500m
              - type: Object
                object:
                  describedObject:
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    name: shop
                  metric:
                    name: requests_per_second
                  target:
                    type: Value
                    value: 2k
              - type: External
                external:
                  metric:
                    name: queue_messages_ready
                    selector:
                      matchLabels:
                        queue: orders
                  target:
                    type: AverageValue
                    averageValue: "30"
              - type: Resource
                resource:
                  name: cpu
                  target:
                    type: Utilization
                    averageUtilization: 70
              - type: ContainerResource
                containerResource:
                  name: memory
                  container: app
                  target:
                    type: AverageValue
                    averageValue: 1536Mi
              behavior:
                scaleUp:
                  stabilizationWindowSeconds: 30
                  selectPolicy: Min
                  policies:
                  - type: Pods
                    value: 5
                    periodSeconds: 60
                  - type: Percent
                    value: 50
                    periodSeconds: 30
                scaleDown:
                  selectPolicy: Max
                  policies:
                  - type: Percent
                    value: 10
                    periodSeconds: 60
            status:
              currentReplicas: 3
              desiredReplicas: 3
            """;

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void translatesEveryMetricTypeAndTheBehaviorOfARealHpa() {
        Hpa hpa = HpaTranslation.toHpa(parse(CHECKOUT_HPA));

        assertThat(hpa.key()).isEqualTo("shop/checkout");
        assertThat(hpa.target()).isEqualTo(new WorkloadRef("shop", "Deployment", "checkout"));
        assertThat(hpa.minReplicas()).isEqualTo(2);
        assertThat(hpa.maxReplicas()).isEqualTo(40);
        assertThat(hpa.metrics()).containsExactly(
                new HpaMetric(MetricSourceType.PODS, "http_requests_per_second", null, MetricTargetType.AVERAGE_VALUE,
                        new BigDecimal("0.500")),
                new HpaMetric(MetricSourceType.OBJECT, "requests_per_second", null, MetricTargetType.VALUE,
                        new BigDecimal("2E+3")),
                new HpaMetric(MetricSourceType.EXTERNAL, "queue_messages_ready", null, MetricTargetType.AVERAGE_VALUE,
                        new BigDecimal("30")),
                new HpaMetric(MetricSourceType.RESOURCE, "cpu", null, MetricTargetType.UTILIZATION,
                        new BigDecimal("70")),
                new HpaMetric(MetricSourceType.CONTAINER_RESOURCE, "memory", "app", MetricTargetType.AVERAGE_VALUE,
                        BigDecimal.valueOf(1536L << 20)));
        assertThat(hpa.metrics()).extracting(HpaMetric::id).containsExactly("http_requests_per_second",
                "requests_per_second", "queue_messages_ready", "cpu", "app/memory");
        assertThat(hpa.behavior()).isEqualTo(new HpaBehavior(
                new ScalingRules(30, SelectPolicy.MIN, List.of(ScalingPolicy.pods(5, 60), ScalingPolicy.percent(50, 30)),
                        null),
                new ScalingRules(null, SelectPolicy.MAX, List.of(ScalingPolicy.percent(10, 60)), null)));
    }

    @Test
    void leavesOutWhatTheApiServerDefaults() {
        Hpa hpa = HpaTranslation.toHpa(parse("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: default}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}
                  maxReplicas: 10
                """));
        assertThat(hpa.minReplicas()).isEqualTo(1);
        assertThat(hpa.behavior()).isNull();
        assertThat(hpa.metrics()).containsExactly(new HpaMetric(MetricSourceType.RESOURCE, "cpu", null,
                MetricTargetType.UTILIZATION, BigDecimal.valueOf(80)));
        assertThat(hpa.target().kind()).isEqualTo("StatefulSet");
    }

    @Test
    void anEmptyBehaviorGetsTheDefaultRulesAndAPartialOneIsFilledFieldByField() {
        Hpa empty = HpaTranslation.toHpa(parse(hpaWith("behavior: {}")));
        assertThat(empty.behavior()).isEqualTo(HpaBehavior.DEFAULTS);

        Hpa partial = HpaTranslation.toHpa(parse(hpaWith("""
                behavior:
                    scaleUp:
                      stabilizationWindowSeconds: 120
                      tolerance: 50m
                """)));
        assertThat(partial.behavior().scaleUp()).isEqualTo(new ScalingRules(120, SelectPolicy.MAX,
                ScalingRules.SCALE_UP_DEFAULTS.policies(), new BigDecimal("0.050")));
        assertThat(partial.behavior().scaleDown()).isEqualTo(ScalingRules.SCALE_DOWN_DEFAULTS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown metric type  | metrics: [{type: Prometheus}]                                                                  | hpa shop/checkout: spec.metrics[0].type: unknown metric type "Prometheus" (expected Pods, Object, External, Resource or ContainerResource)
            missing pods block   | metrics: [{type: Pods}]                                                                        | hpa shop/checkout: spec.metrics[0].pods: missing for a metric of that type
            missing target value | metrics: [{type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue}}}]             | hpa shop/checkout: spec.metrics[0].pods.target.averageValue: missing
            bad quantity         | metrics: [{type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: 10x}}}] | hpa shop/checkout: spec.metrics[0].pods.target.averageValue: invalid quantity "10x": unknown suffix "x" (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent like e3)
            zero target          | metrics: [{type: External, external: {metric: {name: q}, target: {type: Value, value: '0'}}}]  | hpa shop/checkout: spec.metrics[0]: target must be more than 0 (got 0)
            unknown policy       | behavior: {scaleUp: {selectPolicy: Fastest}}                                                   | hpa shop/checkout: spec.behavior.scaleUp.selectPolicy: unknown "Fastest" (expected Max, Min or Disabled)
            unknown policy type  | behavior: {scaleUp: {policies: [{type: Nodes, value: 1, periodSeconds: 15}]}}                  | hpa shop/checkout: spec.behavior.scaleUp.policies[0].type: unknown "Nodes" (expected Pods or Percent)
            max below min        | minReplicas: 5                                                                                 | hpa shop/checkout: spec: maxReplicas must be at least 1 and at least minReplicas (got 3, minReplicas 5)
            """)
    void refusesWhatTheControllerWouldRefuseNamingTheField(String what, String spec, String message) {
        assertThatThrownBy(() -> HpaTranslation.toHpa(parse(hpaWith(spec))))
                .isInstanceOf(HpaTranslationException.class).hasMessage(message);
    }

    @Test
    void anHpaWithoutScaleTargetIsRefused() {
        assertThatThrownBy(() -> HpaTranslation.toHpa(parse("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: shop}
                spec: {maxReplicas: 3}
                """))).hasMessage("hpa shop/web: spec.scaleTargetRef: kind and name are required");
    }

    private static String hpaWith(String specLine) {
        return """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: checkout, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: checkout}
                  maxReplicas: 3
                  %s
                """.formatted(specLine);
    }

    private HorizontalPodAutoscaler parse(String yaml) {
        return serialization.unmarshal(yaml, HorizontalPodAutoscaler.class);
    }
}
