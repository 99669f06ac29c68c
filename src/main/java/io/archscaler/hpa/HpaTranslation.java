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
import io.archscaler.scaler.model.InvalidQuantityException;
import io.archscaler.scaler.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricIdentifier;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates a fabric8 autoscaling/v2 HorizontalPodAutoscaler into the planner's {@link Hpa},
 * applying the API server's defaults ({@code minReplicas} 1, a CPU utilisation target of 80% when
 * no metric is given, behavior rules field by field). Pure: no I/O.
 */
public final class HpaTranslation {
    private static final int DEFAULT_CPU_UTILIZATION = 80;

    private HpaTranslation() {
    }

    /** The HPA as the predictor reads it; throws {@link HpaTranslationException} naming the bad field. */
    public static Hpa toHpa(HorizontalPodAutoscaler hpa) {
        if (hpa.getMetadata() == null || blank(hpa.getMetadata().getName())) {
            throw new HpaTranslationException("an HPA has no metadata.name");
        }
        String where = "hpa " + key(hpa);
        HorizontalPodAutoscalerSpec spec = hpa.getSpec();
        if (spec == null) {
            throw new HpaTranslationException(where + ": spec: missing");
        }
        CrossVersionObjectReference ref = spec.getScaleTargetRef();
        if (ref == null || blank(ref.getKind()) || blank(ref.getName())) {
            throw new HpaTranslationException(where + ": spec.scaleTargetRef: kind and name are required");
        }
        if (spec.getMaxReplicas() == null) {
            throw new HpaTranslationException(where + ": spec.maxReplicas: missing");
        }
        List<HpaMetric> metrics = new ArrayList<>();
        List<MetricSpec> specs = spec.getMetrics() == null ? List.of() : spec.getMetrics();
        for (int i = 0; i < specs.size(); i++) {
            metrics.add(metric(where + ": spec.metrics[" + i + "]", specs.get(i)));
        }
        if (metrics.isEmpty()) {
            metrics.add(new HpaMetric(MetricSourceType.RESOURCE, "cpu", null, MetricTargetType.UTILIZATION,
                    BigDecimal.valueOf(DEFAULT_CPU_UTILIZATION)));
        }
        WorkloadRef target = new WorkloadRef(namespace(hpa), ref.getKind(), ref.getName());
        int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
        try {
            return new Hpa(namespace(hpa), hpa.getMetadata().getName(), target, min, spec.getMaxReplicas(), metrics,
                    behavior(where, spec.getBehavior()));
        } catch (IllegalArgumentException e) {
            throw new HpaTranslationException(where + ": spec: " + e.getMessage(), e);
        }
    }

    /** {@code namespace/name} of an HPA. */
    public static String key(HorizontalPodAutoscaler hpa) {
        return namespace(hpa) + "/" + (hpa.getMetadata() == null ? null : hpa.getMetadata().getName());
    }

    /** The scale target of an HPA, if it names one. */
    public static Optional<WorkloadRef> target(HorizontalPodAutoscaler hpa) {
        CrossVersionObjectReference ref = hpa.getSpec() == null ? null : hpa.getSpec().getScaleTargetRef();
        if (ref == null || blank(ref.getKind()) || blank(ref.getName())) {
            return Optional.empty();
        }
        return Optional.of(new WorkloadRef(namespace(hpa), ref.getKind(), ref.getName()));
    }

    private static HpaMetric metric(String where, MetricSpec m) {
        MetricSourceType type = MetricSourceType.parse(m.getType()).orElseThrow(() -> new HpaTranslationException(
                where + ".type: unknown metric type \"" + m.getType()
                        + "\" (expected Pods, Object, External, Resource or ContainerResource)"));
        String name;
        String container = null;
        MetricTarget target;
        String field;
        switch (type) {
            case PODS -> {
                field = "pods";
                require(where, field, m.getPods());
                name = metricName(where + ".pods", m.getPods().getMetric());
                target = m.getPods().getTarget();
            }
            case OBJECT -> {
                field = "object";
                require(where, field, m.getObject());
                name = metricName(where + ".object", m.getObject().getMetric());
                target = m.getObject().getTarget();
            }
            case EXTERNAL -> {
                field = "external";
                require(where, field, m.getExternal());
                name = metricName(where + ".external", m.getExternal().getMetric());
                target = m.getExternal().getTarget();
            }
            case RESOURCE -> {
                field = "resource";
                require(where, field, m.getResource());
                name = m.getResource().getName();
                target = m.getResource().getTarget();
            }
            default -> {
                field = "containerResource";
                require(where, field, m.getContainerResource());
                name = m.getContainerResource().getName();
                container = m.getContainerResource().getContainer();
                target = m.getContainerResource().getTarget();
            }
        }
        if (blank(name)) {
            throw new HpaTranslationException(where + "." + field + ": the metric or resource name is missing");
        }
        String targetField = where + "." + field + ".target";
        if (target == null) {
            throw new HpaTranslationException(targetField + ": missing");
        }
        MetricTargetType targetType = MetricTargetType.parse(target.getType()).orElseThrow(() ->
                new HpaTranslationException(targetField + ".type: unknown target type \"" + target.getType()
                        + "\" (expected Value, AverageValue or Utilization)"));
        BigDecimal amount = switch (targetType) {
            case VALUE -> quantity(targetField + ".value", target.getValue());
            case AVERAGE_VALUE -> quantity(targetField + ".averageValue", target.getAverageValue());
            case UTILIZATION -> {
                if (target.getAverageUtilization() == null) {
                    throw new HpaTranslationException(targetField + ".averageUtilization: missing");
                }
                yield BigDecimal.valueOf(target.getAverageUtilization());
            }
        };
        try {
            return new HpaMetric(type, name, container, targetType, amount);
        } catch (IllegalArgumentException e) {
            throw new HpaTranslationException(where + ": " + e.getMessage(), e);
        }
    }

    private static HpaBehavior behavior(String where, HorizontalPodAutoscalerBehavior b) {
        if (b == null) {
            return null;
        }
        HPAScalingRules up = b.getScaleUp();
        HPAScalingRules down = b.getScaleDown();
        String upField = where + ": spec.behavior.scaleUp";
        String downField = where + ": spec.behavior.scaleDown";
        try {
            return new HpaBehavior(
                    up == null ? ScalingRules.SCALE_UP_DEFAULTS : ScalingRules.scaleUp(up.getStabilizationWindowSeconds(),
                            select(upField, up.getSelectPolicy()), policies(upField, up.getPolicies()),
                            tolerance(upField, up)),
                    down == null ? ScalingRules.SCALE_DOWN_DEFAULTS : ScalingRules.scaleDown(
                            down.getStabilizationWindowSeconds(), select(downField, down.getSelectPolicy()),
                            policies(downField, down.getPolicies()), tolerance(downField, down)));
        } catch (IllegalArgumentException e) {
            throw new HpaTranslationException(where + ": spec.behavior: " + e.getMessage(), e);
        }
    }

    private static SelectPolicy select(String where, String word) {
        if (word == null) {
            return null;
        }
        return SelectPolicy.parse(word).orElseThrow(() -> new HpaTranslationException(where + ".selectPolicy: unknown \""
                + word + "\" (expected Max, Min or Disabled)"));
    }

    private static List<ScalingPolicy> policies(String where, List<HPAScalingPolicy> policies) {
        if (policies == null) {
            return null;
        }
        List<ScalingPolicy> out = new ArrayList<>();
        for (int i = 0; i < policies.size(); i++) {
            HPAScalingPolicy p = policies.get(i);
            String field = where + ".policies[" + i + "]";
            ScalingPolicy.Type type = ScalingPolicy.Type.parse(p.getType()).orElseThrow(() ->
                    new HpaTranslationException(field + ".type: unknown \"" + p.getType() + "\" (expected Pods or Percent)"));
            if (p.getValue() == null || p.getPeriodSeconds() == null) {
                throw new HpaTranslationException(field + ": value and periodSeconds are required");
            }
            try {
                out.add(new ScalingPolicy(type, p.getValue(), p.getPeriodSeconds()));
            } catch (IllegalArgumentException e) {
                throw new HpaTranslationException(field + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static BigDecimal tolerance(String where, HPAScalingRules rules) {
        return rules.getTolerance() == null ? null : quantity(where + ".tolerance", rules.getTolerance());
    }

    private static BigDecimal quantity(String field, io.fabric8.kubernetes.api.model.Quantity q) {
        if (q == null || blank(q.getAmount())) {
            throw new HpaTranslationException(field + ": missing");
        }
        String text = q.getAmount() + (q.getFormat() == null ? "" : q.getFormat());
        try {
            return Quantity.parse(field, text);
        } catch (InvalidQuantityException e) {
            throw new HpaTranslationException(e.getMessage(), e);
        }
    }

    private static String metricName(String where, MetricIdentifier id) {
        if (id == null || blank(id.getName())) {
            throw new HpaTranslationException(where + ".metric.name: missing");
        }
        return id.getName();
    }

    private static void require(String where, String field, Object source) {
        if (source == null) {
            throw new HpaTranslationException(where + "." + field + ": missing for a metric of that type");
        }
    }

    private static String namespace(HorizontalPodAutoscaler hpa) {
        String ns = hpa.getMetadata() == null ? null : hpa.getMetadata().getNamespace();
        return blank(ns) ? "default" : ns;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
