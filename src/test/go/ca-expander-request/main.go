// Command ca-expander-request writes the BestOptionsRequest bytes Cluster Autoscaler's gRPC
// expander client sends (kubernetes/autoscaler cluster-autoscaler/expander/grpcplugin), built from
// real k8s.io/api objects marshalled by Kubernetes' own generated protobuf code (Pod.Marshal,
// Node.Marshal), so the Java expander's tests read exactly what CA puts on the wire:
//
//	ca-request-legacy.bin: options[].pod (field 4) and nodeMap (field 2) as embedded messages,
//	                       as grpc_client.go's populateOptionsForGRPC/populateNodeInfoForGRPC send them
//	ca-request-bytes.bin:  options[].podBytes (field 5) and nodeBytesMap (field 3), the fields
//	                       expander.proto asks writers to set from Kubernetes 1.35 on
//
// The request envelope is written with protowire in field order, as Go's proto.Marshal does;
// each map has one entry per option, so map order does not matter.
//
// Run from this directory: go run . ../../resources/expander
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"google.golang.org/protobuf/encoding/protowire"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

func pod(name, image string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop",
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: name + "-rs", UID: types.UID("uid-" + name), Controller: ptr(true)}}},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "main", Image: image, Resources: corev1.ResourceRequirements{
				Requests: corev1.ResourceList{"cpu": resource.MustParse("500m"), "memory": resource.MustParse("512Mi")}}}},
			NodeSelector: map[string]string{"workload": "general"},
			Tolerations:  []corev1.Toleration{{Key: "arch", Operator: corev1.TolerationOpEqual, Value: "arm64", Effect: corev1.TaintEffectNoSchedule}},
			Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{
				NodeSelectorTerms: []corev1.NodeSelectorTerm{{MatchExpressions: []corev1.NodeSelectorRequirement{{
					Key: "kubernetes.io/os", Operator: corev1.NodeSelectorOpIn, Values: []string{"linux"}}}}}}}},
		},
	}
}

func node(group, arch string, taints []corev1.Taint) *corev1.Node {
	resources := corev1.ResourceList{"cpu": resource.MustParse("2"), "memory": resource.MustParse("8Gi"), "pods": resource.MustParse("29")}
	return &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{Name: "template-node-for-" + group, Labels: map[string]string{
			"kubernetes.io/arch": arch, "kubernetes.io/os": "linux", "workload": "general", "archscaler.io/node-group": group}},
		Spec:   corev1.NodeSpec{Taints: taints},
		Status: corev1.NodeStatus{Capacity: resources, Allocatable: resources},
	}
}

func ptr[T any](v T) *T { return &v }

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func bytesField(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func stringField(b []byte, num protowire.Number, v string) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, v)
}

type option struct {
	id    string
	count int32
	pods  [][]byte
	node  []byte
}

// request writes BestOptionsRequest: options = 1 (Option: nodeGroupId = 1, nodeCount = 2,
// debug = 3, pod = 4 | podBytes = 5), then the node map at field 2 (legacy) or 3 (bytes).
func request(options []option, podField, mapField protowire.Number) []byte {
	var out []byte
	for _, o := range options {
		var m []byte
		m = stringField(m, 1, o.id)
		m = protowire.AppendTag(m, 2, protowire.VarintType)
		m = protowire.AppendVarint(m, uint64(o.count))
		m = stringField(m, 3, "CA debug for "+o.id)
		for _, p := range o.pods {
			m = bytesField(m, podField, p)
		}
		out = bytesField(out, 1, m)
	}
	for _, o := range options {
		var entry []byte
		entry = stringField(entry, 1, o.id)
		entry = bytesField(entry, 2, o.node)
		out = bytesField(out, mapField, entry)
	}
	return out
}

func main() {
	dir := os.Args[1]
	web := must(pod("web-1", "registry.golden/shop/web:1.0").Marshal())
	legacy := must(pod("legacy-0", "registry.golden/shop/legacy:1.0").Marshal())
	arm := must(node("arm-general", "arm64", []corev1.Taint{{Key: "arch", Value: "arm64", Effect: corev1.TaintEffectNoSchedule}}).Marshal())
	x86 := must(node("x86-general", "amd64", nil).Marshal())
	options := []option{{"arm-general", 2, [][]byte{web, legacy}, arm}, {"x86-general", 2, [][]byte{web, legacy}, x86}}
	files := map[string][]byte{
		"ca-request-legacy.bin": request(options, 4, 2),
		"ca-request-bytes.bin":  request(options, 5, 3),
		"pod-legacy-0.bin":      legacy,
		"node-arm-general.bin":  arm,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d bytes\n", name, len(b))
	}
}
