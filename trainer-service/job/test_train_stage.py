"""The job script's plain-Python parts, run with Debian's python3 (no torch, transformers, trl or peft here)."""

import json
import math
import os
import tempfile
import unittest

import train_stage


def spec(**overrides):
    """A stage-job.json as io.twt.lm.stage.StageSpec writes it."""
    value = {
        "schemaVersion": 1, "round": 2, "stage": 3, "recipe": "twt", "servedName": "twt-r2-s3",
        "baseModel": {"path": "/models/base/mistral", "id": "mistralai/Mistral-7B-v0.3"},
        "previousAdapter": "/models/rounds/round-2/stage-2/adapter", "previousModel": None,
        "lora": {"rank": 8, "alpha": 16.0, "dropout": 0.05, "targetModules": ["q_proj", "v_proj"], "useRslora": False},
        "training": {"learningRate": 1e-5, "batchSize": 8, "gradAccumulation": 2, "epochs": 4, "warmupRatio": 0.03,
                     "minLrRatio": 0.1, "weightDecay": 0.0, "maxGradNorm": 1.0, "maxLength": 4096, "seed": 42},
        "memory": {"dtype": "float32", "attentionChunk": 0, "recompute": True},
        "dataset": {"path": "/models/rounds/round-2/stage-3/dataset.jsonl", "format": "messages", "examples": 2},
        "checkpointDir": "/models/rounds/round-2/stage-3/checkpoints", "checkpointEvery": 20,
        "outputDir": "/models/rounds/round-2/stage-3/adapter.partial",
    }
    value.update(overrides)
    return value


class SpecTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, value):
        path = os.path.join(self.dir.name, "stage-job.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(value, f)
        return path

    def test_stage_directory_names_its_stage_job_file(self):
        self.write(spec())
        self.assertEqual(os.path.join(self.dir.name, "stage-job.json"), train_stage.spec_path([self.dir.name]))
        self.assertEqual("/x/stage-job.json", train_stage.spec_path(["/x/stage-job.json"]))
        with self.assertRaises(ValueError):
            train_stage.spec_path([])

    def test_spec_is_read_as_written(self):
        self.assertEqual(spec(), train_stage.load_spec(self.write(spec())))

    def test_other_schema_version_is_refused_with_both_numbers(self):
        with self.assertRaisesRegex(ValueError, "schemaVersion 2, this script reads 1"):
            train_stage.load_spec(self.write(spec(schemaVersion=2)))

    def test_missing_keys_are_named(self):
        value = spec()
        del value["outputDir"]
        del value["training"]
        with self.assertRaisesRegex(ValueError, "missing training, outputDir"):
            train_stage.load_spec(self.write(value))

    def test_dataset_layout_other_than_the_two_is_refused(self):
        with self.assertRaisesRegex(ValueError, "'sharegpt'"):
            train_stage.load_spec(self.write(spec(dataset={"path": "d", "format": "sharegpt", "examples": 1})))


class DatasetTest(unittest.TestCase):

    def test_both_export_layouts_give_the_same_examples(self):
        messages = {"messages": [{"role": "user", "content": "Problem: 2+2?\nSolution:\n"},
                                 {"role": "assistant", "content": "four\n#### 4"}], "metadata": {"queryId": "q1"}}
        prompt_completion = {"prompt": "Problem: 2+2?\nSolution:\n", "completion": "four\n#### 4"}
        self.assertEqual(("Problem: 2+2?\nSolution:\n", "four\n#### 4"), train_stage.example_from_line(messages))
        self.assertEqual(train_stage.example_from_line(messages), train_stage.example_from_line(prompt_completion))

    def test_earlier_messages_join_into_the_prompt(self):
        line = {"messages": [{"role": "system", "content": "A. "}, {"role": "user", "content": "B"},
                             {"role": "assistant", "content": "C"}]}
        self.assertEqual(("A. B", "C"), train_stage.example_from_line(line))

    def test_line_that_does_not_end_with_the_assistant_is_refused(self):
        with self.assertRaisesRegex(ValueError, "must end with the assistant"):
            train_stage.example_from_line({"messages": [{"role": "user", "content": "x"}, {"role": "user", "content": "y"}]})
        with self.assertRaisesRegex(ValueError, 'needs "prompt" and "completion"'):
            train_stage.example_from_line({"prompt": "x"})

    def test_file_is_read_line_by_line_and_a_bad_line_named(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
            f.write(json.dumps({"prompt": "p1", "completion": "c1"}) + "\n\n")
            f.write(json.dumps({"prompt": "p2", "completion": "c2"}) + "\n")
        self.addCleanup(os.remove, f.name)
        self.assertEqual([("p1", "c1"), ("p2", "c2")], train_stage.load_examples(f.name))
        with open(f.name, "a", encoding="utf-8") as bad:
            bad.write(json.dumps({"text": "x"}) + "\n")
        with self.assertRaisesRegex(ValueError, "line 4"):
            train_stage.load_examples(f.name)

    def test_student_with_a_chat_template_trains_on_conversational_turns(self):
        examples = [("Problem: 2+2?\nSolution:\n", "four\n#### 4")]
        self.assertEqual([{"prompt": [{"role": "user", "content": "Problem: 2+2?\nSolution:\n"}],
                           "completion": [{"role": "assistant", "content": "four\n#### 4"}]}],
                         train_stage.trl_records(examples, chat_template=True))
        self.assertEqual([{"prompt": "Problem: 2+2?\nSolution:\n", "completion": "four\n#### 4"}],
                         train_stage.trl_records(examples, chat_template=False))


class SettingsTest(unittest.TestCase):

    def test_lora_maps_to_peft_names(self):
        self.assertEqual({"r": 8, "lora_alpha": 16.0, "lora_dropout": 0.05, "target_modules": ["q_proj", "v_proj"],
                          "use_rslora": False, "bias": "none", "task_type": "CAUSAL_LM"}, train_stage.lora_kwargs(spec()))
        self.assertIsNone(train_stage.lora_kwargs(spec(lora=None)))

    def test_training_maps_to_sft_config_with_the_batch_split_over_processes(self):
        kwargs = train_stage.sft_kwargs(spec(), world_size=4)
        self.assertEqual(2, kwargs["per_device_train_batch_size"])
        self.assertEqual(2, kwargs["gradient_accumulation_steps"])
        self.assertEqual(4, kwargs["num_train_epochs"])
        self.assertEqual(1e-5, kwargs["learning_rate"])
        self.assertEqual("cosine_with_min_lr", kwargs["lr_scheduler_type"])
        self.assertEqual({"min_lr_rate": 0.1}, kwargs["lr_scheduler_kwargs"])
        self.assertEqual(4096, kwargs["max_length"])
        self.assertEqual(42, kwargs["seed"])
        self.assertTrue(kwargs["completion_only_loss"])
        self.assertTrue(kwargs["bf16"])
        self.assertTrue(kwargs["gradient_checkpointing"], "memory.recompute is gradient checkpointing")
        self.assertEqual("/models/rounds/round-2/stage-3/checkpoints", kwargs["output_dir"])
        self.assertEqual(("steps", 20), (kwargs["save_strategy"], kwargs["save_steps"]))

    def test_batch_that_does_not_split_over_the_processes_is_refused(self):
        with self.assertRaisesRegex(ValueError, "batchSize 8 does not split over 3 processes"):
            train_stage.sft_kwargs(spec(), world_size=3)

    def test_no_checkpoints_when_the_spec_asks_for_none(self):
        self.assertEqual("no", train_stage.sft_kwargs(spec(checkpointEvery=0), world_size=1)["save_strategy"])


class ResultTest(unittest.TestCase):

    def test_newest_checkpoint_is_resumed_by_its_step(self):
        with tempfile.TemporaryDirectory() as checkpoints:
            self.assertIsNone(train_stage.last_checkpoint(os.path.join(checkpoints, "absent")))
            for name in ("checkpoint-20", "checkpoint-100", "checkpoint-40", "runs"):
                os.makedirs(os.path.join(checkpoints, name))
            newest = train_stage.last_checkpoint(checkpoints)
            self.assertEqual(os.path.join(checkpoints, "checkpoint-100"), newest)
            self.assertEqual(100, train_stage.resumed_step(newest))
            self.assertEqual(0, train_stage.resumed_step(None))

    def test_mean_loss_is_the_last_epochs_as_lm_reports_it(self):
        history = [{"loss": 4.0, "epoch": 0.5}, {"loss": 3.0, "epoch": 1.0}, {"loss": 2.0, "epoch": 1.5},
                   {"loss": 1.0, "epoch": 2.0}, {"train_runtime": 9.0, "epoch": 2.0}]
        self.assertEqual(1.5, train_stage.last_epoch_mean_loss(history, epochs=2))
        self.assertTrue(math.isnan(train_stage.last_epoch_mean_loss([], epochs=2)))

    def test_train_tokens_count_every_epoch_up_to_the_context(self):
        self.assertEqual((10 + 4096) * 3, train_stage.train_tokens([10, 5000], max_length=4096, epochs=3))

    def test_result_is_written_whole(self):
        with tempfile.TemporaryDirectory() as out:
            train_stage.write_result(out, {"trainTokens": 7, "meanLoss": 0.5, "seconds": 1.0,
                                           "maxCompletionTokens": 3, "resumedFrom": 0})
            self.assertEqual(["result.json"], os.listdir(out))
            with open(os.path.join(out, "result.json"), encoding="utf-8") as f:
                self.assertEqual(7, json.load(f)["trainTokens"])

    def test_failure_goes_to_the_termination_log_in_a_pod_only(self):
        with tempfile.TemporaryDirectory() as tmp:
            log = os.path.join(tmp, "termination-log")
            train_stage.report_failure(RuntimeError("CUDA out of memory"), log, environ={})
            self.assertFalse(os.path.exists(log))
            train_stage.report_failure(RuntimeError("CUDA out of memory"), log, environ={"KUBERNETES_SERVICE_HOST": "10.0.0.1"})
            with open(log, encoding="utf-8") as f:
                self.assertEqual("RuntimeError: CUDA out of memory", f.read())

    def test_job_without_its_libraries_fails_with_exit_code_one(self):
        with tempfile.TemporaryDirectory() as stage:
            with open(os.path.join(stage, "stage-job.json"), "w", encoding="utf-8") as f:
                json.dump(spec(), f)
            # no torch here: the import error is the failure, reported and turned into exit code 1
            self.assertEqual(1, train_stage.main([stage]))


if __name__ == "__main__":
    unittest.main()
