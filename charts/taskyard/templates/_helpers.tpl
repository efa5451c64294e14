{{/* Chart name, or nameOverride. */}}
{{- define "taskyard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every object name: fullnameOverride, else "<release>-<name>" (or the release if it already contains the name). */}}
{{- define "taskyard.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "taskyard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "taskyard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: taskyard
{{- end }}

{{/* Selector labels of one component: include "taskyard.selectorLabels" (list . "operator"). */}}
{{- define "taskyard.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "taskyard.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Image reference: include "taskyard.image" (list . .Values.operator.image). */}}
{{- define "taskyard.image" -}}
{{- $root := index . 0 -}}
{{- $image := index . 1 -}}
{{- printf "%s:%s" $image.repository (default $root.Values.image.tag $image.tag) }}
{{- end }}

{{- define "taskyard.operatorServiceAccount" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (printf "%s-operator" (include "taskyard.fullname" .)) .Values.operator.serviceAccount.name }}
{{- else }}
{{- required "operator.serviceAccount.name must name an existing ServiceAccount when operator.serviceAccount.create is false" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "taskyard.consoleServiceAccount" -}}
{{- if .Values.console.serviceAccount.create }}
{{- default (printf "%s-console" (include "taskyard.fullname" .)) .Values.console.serviceAccount.name }}
{{- else }}
{{- required "console.serviceAccount.name must name an existing ServiceAccount when console.serviceAccount.create is false" .Values.console.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the Redis Service (and StatefulSet). */}}
{{- define "taskyard.redisName" -}}
{{- printf "%s-redis" (include "taskyard.fullname" .) }}
{{- end }}

{{/* Secret and key holding the Redis password (chart Redis). */}}
{{- define "taskyard.redisSecretName" -}}
{{- default (printf "%s-redis" (include "taskyard.fullname" .)) .Values.redis.auth.existingSecret }}
{{- end }}
{{- define "taskyard.redisSecretKey" -}}
{{- if .Values.redis.auth.existingSecret }}{{ .Values.redis.auth.existingSecretKey }}{{ else }}password{{ end }}
{{- end }}

{{/*
Environment entries giving a container TASKYARD_REDIS_URL: from the chart's Redis (password from its
Secret, spliced in by Kubernetes' $(VAR) expansion), else from externalRedis. Fails with the fix when
neither is configured.
*/}}
{{- define "taskyard.redisUrlEnv" -}}
{{- if .Values.redis.enabled }}
- name: TASKYARD_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "taskyard.redisSecretName" . }}
      key: {{ include "taskyard.redisSecretKey" . }}
- name: TASKYARD_REDIS_URL
  value: {{ printf "redis://:$(TASKYARD_REDIS_PASSWORD)@%s.%s.svc:%d" (include "taskyard.redisName" .) .Release.Namespace (int .Values.redis.port) | quote }}
{{- else if .Values.externalRedis.existingSecret }}
- name: TASKYARD_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.externalRedis.existingSecret }}
      key: {{ .Values.externalRedis.existingSecretKey }}
{{- else if .Values.externalRedis.url }}
- name: TASKYARD_REDIS_URL
  value: {{ .Values.externalRedis.url | quote }}
{{- else }}
{{- fail "redis.enabled is false and externalRedis has neither url nor existingSecret: set one of them (e.g. --set externalRedis.url=redis://:PASSWORD@redis.example:6379)" }}
{{- end }}
{{- end }}

{{/*
A value kept across upgrades: the existing Secret's key if the Secret is there (lookup), else the
given value, else a new random string. include "taskyard.persistentSecret" (list . secretName key given).
*/}}
{{- define "taskyard.persistentSecret" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- $key := index . 2 -}}
{{- $given := index . 3 -}}
{{- if $given }}
{{- $given }}
{{- else }}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace $name }}
{{- if and $existing $existing.data (hasKey $existing.data $key) }}
{{- index $existing.data $key | b64dec }}
{{- else }}
{{- randAlphaNum 32 }}
{{- end }}
{{- end }}
{{- end }}

{{/* Container security context of every container (restricted Pod Security Standard). */}}
{{- define "taskyard.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end }}
