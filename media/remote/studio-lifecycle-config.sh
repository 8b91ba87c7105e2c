#!/bin/bash
# SageMaker Studio lifecycle configuration for JupyterLab and Code Editor space apps (and Studio
# Classic KernelGateway apps): makes the app reachable over SSH through AWS Systems Manager, for the
# SageMaker SSH extension (and sagemaker-ssh-helper's sm-ssh). The app's execution role must trust
# ssm.amazonaws.com, and the account needs the SSM advanced-instances tier.
#
# The SageMaker SSH extension ("Copy Studio Lifecycle Configuration") fills in the values below and
# uploads the sagemaker_ssh_helper folder (as a tar.gz) to S3; the app's execution role must be able
# to read it. Setup continues in the background after this script ends (Studio gives lifecycle
# configurations only a few minutes); follow it in /tmp/sagemaker-ssh-ide.log or 'sm-ssh-ide status'.
set -eu

# The aws:userid of the person who connects (the SSHOwner tag). Empty: keep ~/.sm-ssh-owner.
LOCAL_USER_ID=''
# The payload archive, its SHA-256 and the bucket's region. Empty: use sm-ssh-ide from the image.
PAYLOAD_S3_URI=''
PAYLOAD_SHA256=''
PAYLOAD_REGION=''
# sm-aws-call (gzip, base64): downloads the payload where the image has no AWS CLI.
AWS_CALL=''

LOG=/tmp/sagemaker-ssh-ide.log
WAIT_SECONDS=${SM_SSH_LCC_WAIT_SECONDS:-150}

log() {
  printf '[sagemaker-ssh] %s\n' "$*"
}

download() {
  local region=${AWS_REGION:-${AWS_DEFAULT_REGION:-$PAYLOAD_REGION}} location bucket key
  if command -v aws >/dev/null 2>&1 && aws s3 cp --only-show-errors --region "$region" "$PAYLOAD_S3_URI" "$1"; then
    return 0
  fi
  command -v python3 >/dev/null 2>&1 && [ -n "$AWS_CALL" ] || return 1
  printf '%s' "$AWS_CALL" | base64 -d | gzip -dc >"$1.sm-aws-call"
  location=${PAYLOAD_S3_URI#s3://}
  bucket=${location%%/*}
  key=${location#*/}
  python3 "$1.sm-aws-call" --region "$region" --output "$1" s3 GetObject \
    "{\"Bucket\": \"$bucket\", \"Key\": \"$key\"}" >/dev/null
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$1"
  fi
}

# Prints the unpacked sagemaker_ssh_helper folder.
fetch_payload() {
  local work got
  work=$(mktemp -d)
  if ! download "$work/payload.tar.gz" >&2; then
    log "ERROR: cannot download $PAYLOAD_S3_URI (with the AWS CLI, or python3): the app's execution role needs s3:GetObject on it" >&2
    return 1
  fi
  got=$(sha256_of "$work/payload.tar.gz")
  if [ "$got" != "$PAYLOAD_SHA256" ]; then
    log "ERROR: $PAYLOAD_S3_URI is not the payload this configuration was made for (SHA-256 $got, expected $PAYLOAD_SHA256): create the configuration again" >&2
    return 1
  fi
  tar -xzf "$work/payload.tar.gz" -C "$work"
  printf '%s\n' "$work/sagemaker_ssh_helper"
}

if [ -n "$PAYLOAD_S3_URI" ]; then
  dir=$(fetch_payload)
elif command -v sm-ssh-ide >/dev/null 2>&1; then
  dir=$(dirname "$(command -v sm-ssh-ide)")
else
  log "ERROR: no payload location in this lifecycle configuration and no sm-ssh-ide in the image: create it with VS Code's 'SageMaker SSH: Copy Studio Lifecycle Configuration'"
  exit 1
fi

bash "$dir/sm-ssh-ide" install-helper-scripts
if [ -n "$LOCAL_USER_ID" ]; then
  /usr/local/bin/sm-ssh-ide set-local-user-id --force "$LOCAL_USER_ID"
fi

# configure installs packages and downloads the SSM agent; the agent then runs for the app's life.
: >"$LOG"
nohup bash -c '
  /usr/local/bin/sm-ssh-ide configure --ssh-only &&
    /usr/local/bin/sm-ssh-ide init-ssm &&
    { /usr/local/bin/sm-ssh-ide stop >/dev/null; /usr/local/bin/sm-ssh-ide start; } &&
    /usr/local/bin/sm-ssh-ide ssm-agent
' >>"$LOG" 2>&1 </dev/null &

# Show the progress in the lifecycle configuration's log for a while, then leave it running.
shown=0
deadline=$((SECONDS + WAIT_SECONDS))
while [ "$SECONDS" -lt "$deadline" ]; do
  lines=$(wc -l <"$LOG")
  if [ "$lines" -gt "$shown" ]; then
    sed -n "$((shown + 1)),${lines}p" "$LOG"
    shown=$lines
  fi
  if grep -q -e 'amazon-ssm-agent started' -e 'ERROR' "$LOG"; then
    break
  fi
  sleep 2
done
lines=$(wc -l <"$LOG")
if [ "$lines" -gt "$shown" ]; then
  sed -n "$((shown + 1)),${lines}p" "$LOG"
fi
log "setup goes on in the background; log: $LOG; check it with: sm-ssh-ide status"
