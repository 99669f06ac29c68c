{{/* The chart's name, or nameOverride. */}}
{{- define "archscaler.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The objects' base name: the release name when it already says "archscaler" (so `helm install
archscaler` names everything as deploy/ does), else <release>-archscaler; fullnameOverride wins.
*/}}
{{- define "archscaler.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The labels selectors match on: the pods of this release only. */}}
{{- define "archscaler.selectorLabels" -}}
app.kubernetes.io/name: {{ include "archscaler.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Every object's labels: the selector labels, the part-of label deploy/ puts on everything, and helm's. */}}
{{- define "archscaler.labels" -}}
{{ include "archscaler.selectorLabels" . }}
app.kubernetes.io/part-of: archscaler
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{- define "archscaler.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "archscaler.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "archscaler.webhookServiceName" -}}
{{- printf "%s-webhook" (include "archscaler.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "archscaler.webhookSecretName" -}}
{{- printf "%s-webhook-tls" (include "archscaler.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "archscaler.configMapName" -}}
{{- printf "%s-config" (include "archscaler.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "archscaler.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The HTTP port (/metrics, /healthz, /readyz): config.http.port, 8080 when unset as Archscaler defaults it. */}}
{{- define "archscaler.httpPort" -}}
{{- $http := .Values.config.http | default dict }}
{{- $http.port | default 8080 }}
{{- end }}

{{/*
Fails with what to change when the webhook switch and config.webhook disagree: the API server calls
the webhook over TLS only, so it needs the port and the certificate files the chart mounts at /tls;
and a certificate file in the config that the chart does not mount stops the controller at start.
*/}}
{{- define "archscaler.checkWebhook" -}}
{{- $hook := .Values.config.webhook | default dict }}
{{- if and .Values.webhook.enabled (not (and $hook.port $hook.certFile $hook.keyFile)) }}
{{- fail "webhook.enabled is true but config.webhook lacks port, certFile or keyFile: set config.webhook {port: 8443, certFile: /tls/tls.crt, keyFile: /tls/tls.key}, or webhook.enabled: false" }}
{{- end }}
{{- if and (not .Values.webhook.enabled) (or $hook.certFile $hook.keyFile) }}
{{- fail "config.webhook names certificate files but webhook.enabled is false, so nothing is mounted at /tls: set config.webhook: null (or {enabled: false}) as well" }}
{{- end }}
{{- end }}
