"""The chapter's quiz (otter-grader): one letter per question; a right answer is explained, a wrong one is hinted at.

The explanations are the ones folded under the quiz in the book (tests/test_grading.py keeps the two the same).
"""

from otter.test_files import test_case

from companion.exercises import judge_quiz

OK_FORMAT = False
name = "quiz"

RIGHT = {1: "B", 2: "A", 3: "B"}
EXPLAINED = {
    1: "Dropping a layer removes exactly that layer's weights (the chapter's assert); the embedding table and the "
    "head stay whole, each model with its own copy, and in the packaged model the word-piece table is more than"
    " half of the student's weights. So half the layers removes far less than half of the parameters, but each "
    "token passes through half as many layers: half the work per token, which is what latency depends on. Not "
    "A: the student keeps the teacher's hidden size; its layers are copies of the pre-trained ones. Not C: a "
    "dropped layer goes whole, attention and feed-forward alike.",
    2: "A student trained on 8,000 sentences for one epoch makes four times the optimizer steps of one trained on "
    "2,000, and extra steps alone might lift it. The control, four epochs over the 2,000 labels, makes as many "
    "steps; the transfer-set student beat it in no seed, with either teacher, on either split, so the extra "
    "steps, not the teacher's labels, made the difference. Not B: the four epochs match the transfer-set "
    "student's number of steps, and against that control it never won. Not C: the extra sentences are kept "
    "apart from the development and validation items when data.load_unlabelled draws them; the control is about"
    " the number of steps.",
    3: "Dynamic quantization in PyTorch converts each nn.Linear's weight matrix to 8-bit integers, 1 byte instead "
    "of 4, and the embedding table is not a linear layer, so it stays in float32; in the packaged model that "
    "table is half of the weights, so the file loses only about a third. ONNX Runtime's quantizer converts the "
    "table too, and its file comes to about a quarter. Not A: both store 8-bit integers (QuantType.QInt8 in "
    "ONNX Runtime). Not C: the sizes are those of the saved weights, and PyTorch's dynamic "
    "quantization quantizes the activations too, on the fly at run time.",
}
WRONG = {
    (1, "A"): "The student keeps the teacher's hidden size: its layers are copies of the pre-trained model's. Look at "
    "what the student keeps whole, and how much of its weights that is.",
    (1, "C"): "A dropped layer goes whole, attention and feed-forward alike: the student loses exactly the dropped "
    "layers' weights (the chapter's assert). What stays whole besides the layers it keeps?",
    (2, "B"): "The four epochs give the control as many optimizer steps as the transfer-set student makes, and "
    "against that control the transfer-set student won in no seed, with either teacher, on either split.",
    (2, "C"): "The extra sentences are kept apart from the development and validation items when "
    "data.load_unlabelled draws them. Count the optimizer steps of each student.",
    (3, "A"): "Both store 8-bit integers (ONNX Runtime's quantizer is called with QuantType.QInt8). Which part of "
    "the model does each quantizer convert?",
    (3, "C"): "The sizes are those of the saved weights, and PyTorch's dynamic quantization quantizes the activations "
    "too, on the fly at run time. Which weights does each quantizer leave in float32?",
}


@test_case(name="quiz 1: what halving the layers halves", points=1, success_message=EXPLAINED[1])
def what_halving_the_layers_halves(quiz_1):
    judge_quiz(1, quiz_1, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 2: why the control trains four epochs", points=1, success_message=EXPLAINED[2])
def why_the_control_trains_four_epochs(quiz_2):
    judge_quiz(2, quiz_2, right=RIGHT, wrong=WRONG)


@test_case(name="quiz 3: why the two int8 files differ in size", points=1, success_message=EXPLAINED[3])
def why_the_two_int8_files_differ(quiz_3):
    judge_quiz(3, quiz_3, right=RIGHT, wrong=WRONG)
