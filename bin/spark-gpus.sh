#!/usr/bin/env bash
# Spark's GPU discovery script for a worker node (spark.executor.resource.gpu.discoveryScript): prints this
# node's NVIDIA GPUs as Spark's resource JSON, e.g. {"name": "gpu", "addresses": ["0","1"]}.
set -euo pipefail
addrs="$(nvidia-smi --query-gpu=index --format=csv,noheader | paste -sd, - | sed 's/,/","/g')"
echo "{\"name\": \"gpu\", \"addresses\": [\"$addrs\"]}"
