{{/* Name of the chart, overridable. */}}
{{- define "ipsec-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object name: "<release>-<chart>", or the release name when it contains the chart name. */}}
{{- define "ipsec-operator.fullname" -}}
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

{{- define "ipsec-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ipsec-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "ipsec-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ipsec-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "ipsec-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ipsec-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* An image reference from {repository, tag, digest}: the digest wins over the tag. */}}
{{- define "ipsec-operator.image" -}}
{{- if .digest }}
{{- printf "%s@%s" .repository .digest }}
{{- else }}
{{- printf "%s:%s" .repository .tag }}
{{- end }}
{{- end }}

{{/* "true" when more than one operator pod runs and they must elect a leader. */}}
{{- define "ipsec-operator.leaderElection" -}}
{{- if gt (int .Values.replicas) 1 }}true{{ end }}
{{- end }}

{{/* The rules file shared with the operator's tests (files/rbac-rules.yaml). */}}
{{- define "ipsec-operator.rbacRules" -}}
{{- $rules := .Files.Get "files/rbac-rules.yaml" | fromYaml }}
{{- if hasKey $rules "Error" }}
{{- fail (printf "files/rbac-rules.yaml: %s" $rules.Error) }}
{{- end }}
{{- toYaml $rules }}
{{- end }}

{{/* The Secret in the release namespace that keeps the operator's CA for the agents' TLS. */}}
{{- define "ipsec-operator.caSecretName" -}}
{{- printf "%s-ca" (include "ipsec-operator.fullname" .) }}
{{- end }}

{{/*
The contract with the operator's gateway Deployments: every gateway pod carries these labels and
names the agent's HTTPS state API port "agent" and its plain port of metrics and probes
"agent-metrics". The NetworkPolicy and the PodMonitor select by them.
*/}}
{{- define "ipsec-operator.gatewaySelectorLabels" -}}
app.kubernetes.io/name: ipsec-gateway
app.kubernetes.io/managed-by: ipsec-operator
{{- end }}

{{/* Namespaces that hold gateway pods: as configured, else the watched ones, else the release's. */}}
{{- define "ipsec-operator.gatewayNamespaces" -}}
{{- $namespaces := .Values.networkPolicy.namespaces | default .Values.watchNamespaces | default (list .Release.Namespace) }}
{{- toJson $namespaces }}
{{- end }}
