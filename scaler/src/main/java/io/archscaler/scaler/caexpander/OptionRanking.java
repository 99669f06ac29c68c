package io.archscaler.scaler.caexpander;

import io.archscaler.scaler.ArchResolver;
import io.archscaler.scaler.Expander;
import io.archscaler.scaler.TemplateFit;
import io.archscaler.scaler.model.Arch;
import io.archscaler.scaler.model.NodeGroup;
import io.archscaler.scaler.model.NodeTemplate;
import io.archscaler.scaler.model.PendingPod;
import io.archscaler.scaler.model.Resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ranks Cluster Autoscaler's feasible scale-up options the Archscaler way.
 *
 * <ol>
 *   <li>An option's architecture is its template's {@code kubernetes.io/arch} label, else its
 *       configured group's arch; an option of unknown arch is never dropped and ranks last.</li>
 *   <li>An option is dropped when one of its pods cannot run on a new node of it ({@link TemplateFit}:
 *       arch from images, nodeSelector and affinity; taints; requests when the template tells its
 *       capacity): {@link DropReason#IMAGE_ARCH} when the images alone rule the arch out.</li>
 *   <li>The rest rank configured groups first, then by {@link Expander#RANKING} (weight, price per
 *       pod, arm64, name); unknown groups take their arch's default weight and no price.</li>
 *   <li>Only the top tier (same configured-ness and weight as the best) is chosen; if every option
 *       was dropped, the input comes back unchanged.</li>
 * </ol>
 */
public final class OptionRanking {
    /** Room enough for any pod: what a template without capacity is judged with. */
    private static final Resources UNKNOWN_CAPACITY = new Resources(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
            Long.MAX_VALUE, Map.of());

    private static final Comparator<Candidate> BEST_FIRST = Comparator
            .comparing((Candidate c) -> c.option().configured() == null)
            .thenComparing((Candidate c) -> c.group().arch() == null)
            .thenComparing(Candidate::expanderOption, Expander.RANKING);

    private OptionRanking() {
    }

    /** The options CA should choose from, best first. */
    public static Ranking rank(List<ScaleUpOption> options) {
        List<Candidate> kept = new ArrayList<>();
        List<Drop> dropped = new ArrayList<>();
        for (ScaleUpOption option : options) {
            Candidate c = candidate(option);
            Optional<Drop> drop = c.group().arch() == null ? Optional.empty() : misfit(c);
            drop.ifPresentOrElse(dropped::add, () -> kept.add(c));
        }
        if (kept.isEmpty()) {
            return new Ranking(options, dropped, !options.isEmpty());
        }
        kept.sort(BEST_FIRST);
        Candidate best = kept.get(0);
        List<ScaleUpOption> chosen = new ArrayList<>();
        for (Candidate c : kept) {
            if (sameTier(best, c)) {
                chosen.add(c.option());
            } else {
                dropped.add(new Drop(c.option().nodeGroupId(), DropReason.LOWER_RANK, "ranks below "
                        + best.option().nodeGroupId() + " (" + describe(best) + " over " + describe(c) + ")"));
            }
        }
        return new Ranking(chosen, dropped, false);
    }

    private static boolean sameTier(Candidate best, Candidate c) {
        return (best.option().configured() == null) == (c.option().configured() == null)
                && (best.group().arch() == null) == (c.group().arch() == null)
                && best.group().weight() == c.group().weight();
    }

    private static String describe(Candidate c) {
        return (c.option().configured() == null ? "unconfigured " : "") + "weight " + c.group().weight()
                + (c.group().arch() == null ? ", arch unknown" : ", " + c.group().arch());
    }

    /** The first pod that cannot run on the option's template, as a drop; empty when all can. */
    private static Optional<Drop> misfit(Candidate c) {
        Arch arch = c.group().arch();
        for (PendingPod pod : c.option().pods()) {
            Optional<String> why = TemplateFit.whyNot(pod, c.group());
            if (why.isEmpty()) {
                continue;
            }
            boolean byImages = pod.imageArchs() != null && !pod.imageArchs().contains(arch)
                    && ArchResolver.allowed(pod.withImageArchs(null)).contains(arch);
            return Optional.of(new Drop(c.option().nodeGroupId(),
                    byImages ? DropReason.IMAGE_ARCH : DropReason.POD_CONSTRAINTS, "pod " + pod.key() + ": " + why.get()));
        }
        return Optional.empty();
    }

    /**
     * The option as a node group the planner's pieces understand: CA's template (arch label, labels,
     * taints, capacity) where it sent one, the configured group's weight and price where one maps.
     */
    private static Candidate candidate(ScaleUpOption option) {
        NodeGroup configured = option.configured();
        NodeTemplate template = option.template() != null ? option.template()
                : configured != null ? configured.template() : null;
        Arch arch = template == null ? null : Arch.fromLabel(template.labels().get(NodeTemplate.ARCH_LABEL)).orElse(null);
        if (arch == null && configured != null) {
            arch = configured.arch();
        }
        if (template != null && template.allocatable().isZero()) {
            // CA sent no capacity: leave resources to CA's own simulation, which already found the option feasible
            template = new NodeTemplate(UNKNOWN_CAPACITY, template.labels(), template.taints());
        }
        int weight = configured != null ? configured.weight() : arch == null ? 0 : NodeGroup.defaultWeight(arch);
        double price = configured != null ? configured.pricePerHour() : 0;
        String name = configured != null ? configured.name() : option.nodeGroupId();
        NodeGroup group = new NodeGroup(name, configured != null ? configured.provider() : "cluster-autoscaler", arch,
                0, Integer.MAX_VALUE, 0, weight, configured != null ? configured.instanceType() : null, price, template);
        return new Candidate(option, group);
    }

    private record Candidate(ScaleUpOption option, NodeGroup group) {
        Expander.Option expanderOption() {
            int count = Math.max(1, option.nodeCount());
            long podsPerNode = Math.max(1, (option.pods().size() + count - 1) / count);
            return new Expander.Option(group, group.arch(), podsPerNode);
        }
    }
}
