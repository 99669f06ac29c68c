package io.archscaler.scaler;

import io.archscaler.scaler.model.NodeSelectorRequirement;
import io.archscaler.scaler.model.NodeSelectorTerm;
import io.archscaler.scaler.model.ScalePlan;
import io.archscaler.scaler.model.ScaleUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.archscaler.scaler.Fixtures.fieldTerm;
import static io.archscaler.scaler.Fixtures.group;
import static io.archscaler.scaler.Fixtures.node;
import static io.archscaler.scaler.Fixtures.pod;
import static io.archscaler.scaler.Fixtures.req;
import static io.archscaler.scaler.Fixtures.snapshot;
import static io.archscaler.scaler.Fixtures.term;
import static io.archscaler.scaler.model.Arch.AMD64;
import static io.archscaler.scaler.model.Arch.ARM64;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kube-scheduler's NodeAffinity filter (component-helpers' nodeaffinity and the plugin's own
 * table) as the planner must agree with it: a node the scheduler would refuse is never planned.
 */
class NodeAffinitySchedulerRulesTest {
    private static final Map<String, String> LABELS = Map.of("foo", "bar", "zone", "us-west-2a");

    /** Each case, after the scheduler's tests: the required terms, the node's name, whether it matches. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no terms constrain nothing", List.of(), "node1", true),
                Arguments.of("an empty term matches nothing", List.of(new NodeSelectorTerm(List.of())), "node1", false),
                Arguments.of("In on a carried value", List.of(term(req("foo", "In", "bar", "value2"))), "node1", true),
                Arguments.of("NotIn on a carried value", List.of(term(req("foo", "NotIn", "bar"))), "node1", false),
                Arguments.of("NotIn on another value", List.of(term(req("foo", "NotIn", "baz"))), "node1", true),
                Arguments.of("NotIn with a value that is not a label value: the term cannot parse, matches nothing",
                        List.of(term(req("foo", "NotIn", "invalid value: ___@#$%^"))), "node1", false),
                Arguments.of("In with a value that is not a label value",
                        List.of(term(req("foo", "In", "bar", "not/valid"))), "node1", false),
                Arguments.of("an unparsable term is dropped and the others decide",
                        List.of(term(req("foo", "NotIn", "invalid value: ___@#$%^")), term(req("foo", "In", "bar"))),
                        "node1", true),
                Arguments.of("a key that is not a qualified name", List.of(term(req("foo bar", "DoesNotExist"))),
                        "node1", false),
                Arguments.of("NotIn with no values cannot parse", List.of(term(req("foo", "NotIn"))), "node1", false),
                Arguments.of("Exists with values cannot parse", List.of(term(req("foo", "Exists", "bar"))), "node1",
                        false),
                Arguments.of("Gt with two values cannot parse", List.of(term(req("foo", "Gt", "1", "2"))), "node1",
                        false),
                Arguments.of("matchFields metadata.name In the node's name", List.of(fieldTerm("In", "node1")), "node1",
                        true),
                Arguments.of("matchFields metadata.name In another name", List.of(fieldTerm("In", "node1")), "node2",
                        false),
                Arguments.of("matchFields metadata.name NotIn the node's name", List.of(fieldTerm("NotIn", "node1")),
                        "node1", false),
                Arguments.of("matchFields metadata.name NotIn another name", List.of(fieldTerm("NotIn", "node1")),
                        "node2", true),
                Arguments.of("matchFields and matchExpressions are ANDed",
                        List.of(new NodeSelectorTerm(List.of(req("foo", "In", "baz")),
                                List.of(new NodeSelectorRequirement("metadata.name", "In", List.of("node1"))))),
                        "node1", false),
                Arguments.of("matchFields with two values cannot parse",
                        List.of(new NodeSelectorTerm(List.of(),
                                List.of(new NodeSelectorRequirement("metadata.name", "In", List.of("node1", "node2"))))),
                        "node1", false),
                Arguments.of("matchFields terms are ORed with label terms",
                        List.of(fieldTerm("In", "node1"), term(req("zone", "In", "us-west-2a"))), "node2", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesAsTheSchedulerDoes(String name, List<NodeSelectorTerm> terms, String nodeName, boolean matches) {
        assertThat(NodeSelectors.affinityMatches(terms, NodeSelectors.withName(LABELS, nodeName)))
                .as(name).isEqualTo(matches);
    }

    @Test
    void aPodPinnedToANodeByNameGetsNoNewNodeAndIsReportedUnschedulable() {
        // node1 is not registered; node2 is full: a new node can never be named node1
        ScalePlan plan = new Planner().plan(snapshot().groups(group("x86-general", AMD64), group("arm-general", ARM64))
                .nodes(node("node2", AMD64).group("x86-general").requested("2", "8Gi", 29))
                .pods(pod("pinned").affinity(fieldTerm("In", "node1")))
                .build());

        assertThat(plan.scaleUps()).isEmpty();
        assertThat(plan.onExistingCapacity()).isEmpty();
        assertThat(plan.unschedulable()).singleElement().satisfies(u -> {
            assertThat(u.pod()).isEqualTo("default/pinned");
            assertThat(u.reason()).contains("metadata.name In [node1]");
        });
    }

    @Test
    void aPodPinnedToARegisteredNodeWithRoomGoesThere() {
        ScalePlan plan = new Planner().plan(snapshot().groups(group("x86-general", AMD64))
                .nodes(node("node1", AMD64).group("x86-general"), node("node2", AMD64).group("x86-general"))
                .pods(pod("pinned").affinity(fieldTerm("In", "node1")))
                .build());

        assertThat(plan.scaleUps()).isEmpty();
        assertThat(plan.onExistingCapacity()).containsExactly("default/pinned");
    }

    @Test
    void aPodKeptOffANodeByNameMayGetANewNode() {
        ScalePlan plan = new Planner().plan(snapshot().groups(group("x86-general", AMD64))
                .nodes(node("node2", AMD64).group("x86-general").requested("2", "8Gi", 29))
                .pods(pod("elsewhere").affinity(fieldTerm("NotIn", "node2")))
                .build());

        assertThat(plan.scaleUps()).extracting(ScaleUp::nodeGroup).containsExactly("x86-general");
    }

    @Test
    void aNotInTermWithAnInvalidValueMatchesNoGroupSoNothingIsPlanned() {
        ScalePlan plan = new Planner().plan(snapshot().groups(group("x86-general", AMD64), group("arm-general", ARM64))
                .pods(pod("odd").affinity(term(req("workload", "NotIn", "invalid value: ___@#$%^"))))
                .build());

        assertThat(plan.scaleUps()).isEmpty();
        assertThat(plan.unschedulable()).extracting(u -> u.pod()).containsExactly("default/odd");
    }

    /** kubectl output with a mangled {@code key:} line gives a requirement without a key (found by ClusterStateInputPropertiesTest). */
    @Test
    void aRequirementWithoutAKeyMatchesNoRegisteredNodeAndPlanningGoesOn() {
        ScalePlan plan = new Planner().plan(snapshot().groups(group("x86-general", AMD64), group("arm-general", ARM64))
                .nodes(node("node1", AMD64).group("x86-general"))
                .pods(pod("odd").affinity(term(req(null, "In", "a"))), pod("plain"))
                .build());

        assertThat(plan.unschedulable()).extracting(u -> u.pod()).containsExactly("default/odd");
        assertThat(plan.scaleUps()).isEmpty();
    }
}
