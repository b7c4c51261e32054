"""Drives the real Python `mlflow` client against a tracking server and checks what it reads back.

Usage: MLFLOW_TRACKING_URI=http://127.0.0.1:5000 python3 scripts/mlflow-client-check.py
Needs the `mlflow` package (and numpy); not part of `npm test` (CI has no Python mlflow).
Exits non-zero on the first mismatch.
"""
import os
import sys
import tempfile
import time
import uuid

import mlflow
import numpy as np
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

client = MlflowClient()
name = f"compat-{uuid.uuid4().hex[:8]}"
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        print(f"FAIL: {what}")
        sys.exit(1)


# Experiments
exp_id = mlflow.create_experiment(name, tags={"team": "a"})
exp = client.get_experiment(exp_id)
check(exp.name == name and exp.tags.get("team") == "a", "create/get experiment with tags")
check(client.get_experiment_by_name(name).experiment_id == exp_id, "get_experiment_by_name")
check(client.get_experiment_by_name("no-such-" + name) is None, "missing experiment by name is None")
mlflow.set_experiment(name)

# Fluent runs, nested, params, metrics, tags, artifacts
with mlflow.start_run(run_name="parent") as parent:
    mlflow.log_param("lr", 0.1)
    mlflow.log_params({"epochs": 3, "opt": "sgd"})
    for step in range(5):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.log_metrics({"acc": 0.9, "f1": 0.8})
    mlflow.set_tag("stage", "dev")
    mlflow.log_text("hello", "notes/hello.txt")
    mlflow.log_dict({"a": 1}, "config.json")
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "sub"))
        with open(os.path.join(d, "sub", "b.bin"), "wb") as f:
            f.write(os.urandom(100_000))
        mlflow.log_artifacts(d, "tree")
    with mlflow.start_run(run_name="child", nested=True) as child:
        mlflow.log_metric("loss", 0.5)
    ds = mlflow.data.from_numpy(np.arange(10).reshape(5, 2), source="/tmp/toy.csv", name="toy")
    mlflow.log_input(ds, context="training")

run = client.get_run(parent.info.run_id)
check(run.info.status == "FINISHED" and run.info.run_name == "parent", "run finished with its name")
check(run.data.params == {"lr": "0.1", "epochs": "3", "opt": "sgd"}, f"params {run.data.params}")
check(run.data.metrics["loss"] == 0.2 and run.data.metrics["acc"] == 0.9, f"latest metrics {run.data.metrics}")
check(run.data.tags["stage"] == "dev" and run.data.tags["mlflow.runName"] == "parent", "tags")
hist = client.get_metric_history(run.info.run_id, "loss")
check([m.step for m in hist] == [0, 1, 2, 3, 4], "metric history steps")
check(len(run.inputs.dataset_inputs) == 1 and run.inputs.dataset_inputs[0].dataset.name == "toy", "dataset input")
child_run = client.get_run(child.info.run_id)
check(child_run.data.tags.get("mlflow.parentRunId") == parent.info.run_id, "nested run parent tag")

arts = {a.path for a in client.list_artifacts(run.info.run_id)}
check({"notes", "config.json", "tree"} <= arts, f"list_artifacts root {arts}")
sub = [a.path for a in client.list_artifacts(run.info.run_id, "tree/sub")]
check(sub == ["tree/sub/b.bin"], f"list_artifacts nested {sub}")
with tempfile.TemporaryDirectory() as d:
    p = client.download_artifacts(run.info.run_id, "notes/hello.txt", d)
    check(open(p).read() == "hello", "download text artifact")
    p = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="tree", dst_path=d)
    check(os.path.getsize(os.path.join(p, "sub", "b.bin")) == 100_000, "download directory artifact")
check(mlflow.artifacts.load_dict(f"runs:/{run.info.run_id}/config.json") == {"a": 1}, "load_dict")

# Client API: batch, write-once params, errors
r2 = client.create_run(exp_id, run_name="batch")
t = int(time.time() * 1000)
client.log_batch(
    r2.info.run_id,
    metrics=[Metric("m", float(i), t + i, i) for i in range(1000)],
    params=[Param(f"p{i}", str(i)) for i in range(100)],
    tags=[RunTag("k", "v")],
)
check(len(client.get_metric_history(r2.info.run_id, "m")) == 1000, "1000-metric batch history")
client.log_param(r2.info.run_id, "p1", "1")  # same value: fine
try:
    client.log_param(r2.info.run_id, "p1", "2")
    check(False, "changing a param must fail")
except mlflow.exceptions.MlflowException as e:
    check(e.error_code == "INVALID_PARAMETER_VALUE", f"changed param error code {e.error_code}")
client.log_metric(r2.info.run_id, "nan", float("nan"))
check(np.isnan(client.get_run(r2.info.run_id).data.metrics["nan"]), "NaN metric round trip")
client.set_terminated(r2.info.run_id, "FAILED")
check(client.get_run(r2.info.run_id).info.status == "FAILED", "set_terminated FAILED")

# Search
runs = client.search_runs([exp_id], "metrics.acc > 0.5 and params.opt = 'sgd'", order_by=["metrics.acc DESC"])
check([r.info.run_id for r in runs] == [parent.info.run_id], "search_runs filter")
df = mlflow.search_runs([exp_id])
check(len(df) == 3, f"mlflow.search_runs dataframe rows {len(df)}")
page = client.search_runs([exp_id], max_results=1)
check(len(page) == 1 and page.token, "paged search has a token")
page2 = client.search_runs([exp_id], max_results=1, page_token=page.token)
check(len(page2) == 1 and page2[0].info.run_id != page[0].info.run_id, "second page")
try:
    client.search_runs([exp_id], "metrics.acc > 0.5 OR params.x = 'y'")
    check(False, "OR must be rejected")
except mlflow.exceptions.MlflowException as e:
    check(e.error_code == "INVALID_PARAMETER_VALUE", "bad filter error code")
exps = client.search_experiments(filter_string=f"name = '{name}'")
check([e.experiment_id for e in exps] == [exp_id], "search_experiments")

# Delete / restore
client.delete_run(r2.info.run_id)
check(client.get_run(r2.info.run_id).info.lifecycle_stage == "deleted", "delete_run")
client.restore_run(r2.info.run_id)
check(client.get_run(r2.info.run_id).info.lifecycle_stage == "active", "restore_run")
client.rename_experiment(exp_id, name + "-renamed")
check(client.get_experiment(exp_id).name == name + "-renamed", "rename_experiment")

# MLflow 3 logged models: pyfunc log_model and load it back
class Plus1(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return model_input + 1


with mlflow.start_run() as mr:
    info = mlflow.pyfunc.log_model(name="model", python_model=Plus1())
loaded = mlflow.pyfunc.load_model(info.model_uri)
check(list(loaded.predict(np.array([1, 2]))) == [2, 3], "pyfunc model round trip")
lm = client.get_logged_model(info.model_id)
check(lm.status == "READY" or str(lm.status).endswith("READY"), f"logged model ready {lm.status}")
found = client.search_logged_models(experiment_ids=[exp_id])
check(any(m.model_id == info.model_id for m in found), "search_logged_models")

client.delete_experiment(exp_id)
check(client.get_experiment(exp_id).lifecycle_stage == "deleted", "delete_experiment")
print(f"OK: {checks} checks passed against {mlflow.get_tracking_uri()} with mlflow {mlflow.__version__}")
