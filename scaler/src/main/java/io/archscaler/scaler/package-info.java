/**
 * The planner: pure, deterministic code that turns a {@link io.archscaler.scaler.model.ClusterSnapshot}
 * into a {@link io.archscaler.scaler.model.ScalePlan}, with no I/O and no framework.
 *
 * <h2>How a plan is made</h2>
 * <ol>
 *   <li><b>Classes.</b> Pending pods with the same requests and the same constraints (nodeSelector,
 *       required node affinity, tolerations, image architectures) form one
 *       {@link io.archscaler.scaler.PodClass}; classes are ordered largest first
 *       ({@link io.archscaler.scaler.EquivalenceClasses}), ties by requests and then by the first
 *       pod's key, so the input order never changes the plan. A class of 50,000 identical pods is
 *       placed with arithmetic, not pod by pod.</li>
 *   <li><b>Room that exists.</b> Each class first takes free room on registered, ready,
 *       schedulable nodes ({@link io.archscaler.scaler.ExistingCapacity}): nodes are grouped into
 *       profiles (arch, blocking taints, only the labels some pending pod looks at), a class's fit
 *       is decided once per profile, and within a profile a segment tree over free-room vectors
 *       ({@link io.archscaler.scaler.VectorTree}) finds first-fit the nodes the class fits without
 *       visiting those it does not. Then capacity already asked for and not yet registered
 *       (in-flight nodes of groups not in backoff) is filled the same way, so nothing is asked for
 *       twice.</li>
 *   <li><b>Which group.</b> Each class with pods left walks the groups in the expander's order
 *       ({@link io.archscaler.scaler.Expander}: weight, then price per pod of that shape, then
 *       arm64, then name), skipping groups that do not fit it
 *       ({@link io.archscaler.scaler.TemplateFit}) or are at maxSize, in backoff or with an open
 *       circuit.</li>
 *   <li><b>New nodes.</b> The classes that chose a group are packed together
 *       ({@link io.archscaler.scaler.GroupPacker}), so complementary pods share nodes: first
 *       first-fit onto the group's new nodes already opened this plan, then onto new node
 *       <i>layouts</i> ({@link io.archscaler.scaler.NodePattern}). A layout is built pod by pod,
 *       each time taking the class whose requests best match the room still free (the dot-product
 *       heuristic for vector bin packing), so cpu-heavy and memory-heavy pods fill each other's
 *       gaps instead of stranding memory or cpu. Each layout is repeated over as many nodes as the
 *       pods left, maxSize and the cluster limits allow in one step. Two layouts are computed on
 *       paper — greedy, and <i>balanced</i> (each node starts with every class's share of what is
 *       left) — and the balanced one is kept only when it places every pod on fewer nodes.</li>
 *   <li><b>What is left</b> moves on to the class's next group, round after round
 *       ({@link io.archscaler.scaler.NewNodes}); flexible pods placed on amd64 after arm64 groups
 *       passed them over carry the fallback reason, and pods no group can take are reported
 *       unschedulable with the reason from the best-ranked group.</li>
 * </ol>
 *
 * <h2>Why not first-fit-decreasing alone</h2>
 * First-fit-decreasing packs one dimension well; node packing has at least two (cpu and memory,
 * plus pods, ephemeral storage and extended resources), and a greedy per-node fill can strand a
 * resource on every node of a long run. The dot-product choice and the balanced layout keep plans
 * within a few percent of the Martello-Toth lower bound: {@code ./archscaler bench --sweep}
 * measures every plan against that bound (0 to 2.1% above it across the seeds and sizes in
 * BENCHMARKS.md), and a planner test holds the case that once took 44 nodes where the bound is 35.
 *
 * <h2>Rules kept with the kube-scheduler</h2>
 * Fit follows the scheduler's filters: resources (init containers by the max rule, sidecars,
 * overhead, extended resources), the pods limit, nodeSelector, required node affinity (terms ORed,
 * expressions and {@code matchFields} on {@code metadata.name} ANDed, a term the scheduler cannot
 * parse matching nothing) and NoSchedule/NoExecute taints. A pod pinned to a node by name never
 * gets a new node: a new node's name is not known before it registers.
 */
package io.archscaler.scaler;
