#!/usr/bin/env python3
"""Writes real_outputs.jsonl: the verifier's regression corpus of (gold, completion, expected) cases in the
styles real models (Qwen, Llama, DeepSeek, Minerva-style base models) and datasets (GSM8K, MATH) write.

Every case here was written for this project from the categories of issue 14; none is taken from another
project's test files. Edit the lists below and rerun:

    python3 Tests/VerifierTests/Fixtures/make_real_outputs.py

The JSONL schema is the shared case file's: id, category, gold, prediction, expected (so `grpo-bench verifier
--cases` and bench/math_verify_peer.py read both). Verdicts that are policy decisions follow the rules in
Sources/Verifier/README.md ("Policy decisions").
"""
import json
import os

CASES = []


def add(category, gold, prediction, expected):
    CASES.append((category, gold, prediction, expected))


# ---------------------------------------------------------------------------------------------------------
# Answer styles, so one (gold, answer, verdict) triple can be written the way different models write it.

def qwen(ans, lead="Let's solve this step by step."):
    return f"{lead}\n\nPutting everything together, the final answer is $\\boxed{{{ans}}}$."


def qwen_display(ans):
    return f"We combine the results above.\n\nTherefore, the answer is:\n\\[\n\\boxed{{{ans}}}\n\\]"


def llama(ans):
    return ("## Step 1: Understand the problem\nWe need the requested value.\n\n"
            "## Step 2: Compute\nCarrying out the computation gives the value below.\n\n"
            f"The final answer is: $\\boxed{{{ans}}}$")


def llama_hope(ans):
    return f"Therefore, the final answer is: $\\boxed{{{ans}}}$. I hope it is correct."


def minerva(ans):
    return f"Solving gives the value.\nFinal Answer: The final answer is ${ans}$. I hope it is correct."


def deepseek(ans):
    return ("<think>\nOkay, let me work through this carefully. First I set up the equation, then I check "
            "the arithmetic twice.\n</think>\n\nTo solve the problem we set up the equation and simplify.\n\n"
            f"**Final Answer**\n\\[\n\\boxed{{{ans}}}\n\\]")


def markdown(ans):
    return f"Adding the two parts gives the total.\n\n**Answer:** {ans}"


STYLES = [qwen, llama, minerva, deepseek, qwen_display, llama_hope, markdown]


def styled(category, gold, answers):
    """answers: [(latex answer, expected)], each written in the next style in turn."""
    for k, (ans, expected) in enumerate(answers):
        style = STYLES[(len(CASES) + k) % len(STYLES)]
        add(category, gold, style(ans), expected)


# ---------------------------------------------------------------------------------------------------------
# Numbers as people write them: thousands with spaces, thin spaces and NBSP; decimal commas; leading dots.

C = "locale_number"
add(C, "2500", "Each of the 5 crates holds 500 bottles, so there are 2 500 bottles.\n\nThe answer is 2 500.", True)
add(C, "2500", "So the total cost is $\\boxed{2\\,500}$ dollars.", True)
add(C, "2500", "Multiplying, 5 \u00d7 500 = 2 500.\n\nThe final answer is $\\boxed{2 500}$.", True)
add(C, "2500", "Il y a 5 caisses de 500 bouteilles.\nDonc le total est 2\u2009500 bouteilles.", True)
add(C, "1000000", "A million is written $\\boxed{1\u00a0000\u00a0000}$.", True)
add(C, "1000000", "The answer is 1\u202f000\u202f000.", True)
add(C, "350.75", "Le montant total est donc de 350,75 \u20ac.", True)
add(C, "350.75", "La r\u00e9ponse est $\\boxed{350,75}$.", True)
add(C, "0.125", "La probabilit\u00e9 est donc $\\boxed{0,125}$.", True)
add(C, "0.125", "Die Wahrscheinlichkeit betr\u00e4gt 0,125.", True)
add(C, "3,5", "Half of 7 is 3.5, so the answer is $\\boxed{3.5}$.", True)
add(C, "3,5", "The answer is $\\boxed{3.6}$.", False)
add(C, "3.5", "Die Antwort ist $\\boxed{3,5}$.", True)
add(C, "3.5", "So the answer is \\boxed{35}.", False)
add(C, "0.25", "One out of four outcomes works, so the probability is .25", True)
add(C, "0.25", "The final answer is $\\boxed{.25}$.", True)
add(C, "0.25", "The final answer is $\\boxed{.5}$.", False)
add(C, "4.10", "Le prix d'un cahier est donc de 4,10 $.", True)
add(C, "4.10", "Le prix d'un cahier est donc de 4,01 $.", False)
add(C, "-0.5", "La r\u00e9ponse est $\\boxed{-0,5}$", True)
add(C, "1234.56", "Der Gesamtbetrag betr\u00e4gt $\\boxed{1.234,56}$ \u20ac.", True)
add(C, "2500.5", "\\boxed{2 500,5}", True)
add(C, "12345", "The final answer is $\\boxed{12{,}345}$.", True)
add(C, "30552", "**Answer:** 30,552", True)
add(C, "0.75", "On obtient $\\boxed{0{,}75}$.", True)
add(C, "7.5", "Le r\u00e9sultat est $\\boxed{7{,}5}$ km.", True)
add(C, "1000", "Le r\u00e9sultat est $\\boxed{1{,}000}$.", True)
add(C, "2500", "The final answer is $\\boxed{25}$.", False)
add(C, "2.5", "The final answer is $\\boxed{2.500}$.", True)
add(C, "2500", "The final answer is $\\boxed{2.500}$.", False)
add(C, "1.5", "La r\u00e9ponse est $\\boxed{1,5}$.", True)
add(C, "15", "La r\u00e9ponse est $\\boxed{1,5}$.", False)
add(C, "0.125", "The final answer is $\\boxed{125}$.", False)
add(C, "1234", "The final answer is $\\boxed{1,234}$.", True)
add(C, "1.234", "The final answer is $\\boxed{1,234}$.", False)
add(C, "5000", "Il faut donc 5 000 briques au total.", True)
add(C, "5000", "Il faut donc 500 briques au total.", False)
add(C, "-3.25", "The answer is \u22123,25", True)
add(C, "12.5", "$\\boxed{12,50}$", True)
add(C, "12500", "The final answer is $\\boxed{12,500}$.", True)
add(C, "12.5", "The final answer is $\\boxed{12,500}$.", False)
add(C, "2.5", "\u00c0 la fin, il reste $\\boxed{2,5}$ litres.", True)
add(C, "1500000", "The final answer is $\\boxed{1.5 \\times 10^{6}}$.", True)
add(C, "45000", "Total: 45 000 visitors.\n\n#### 45 000", True)
add(C, "0.05", "The final answer is $\\boxed{0,05}$.", True)
add(C, "0.05", "The final answer is $\\boxed{0,5}$.", False)

# ---------------------------------------------------------------------------------------------------------
# Units and currencies.

C = "unit_currency"
add(C, "18", "Janet sells 9 eggs at $2 each.\n9 * 2 = 18\nShe makes $18 every day at the farmers' market.\n#### 18", True)
add(C, "18", "She earns \\$18 per day, so the answer is $\\boxed{\\$18}$.", True)
add(C, "4.1", "Le prix est de 4,10 \u20ac.", True)
add(C, "12.50", "Adding the items, the total is **$12.50**.", True)
add(C, "12.50", "Adding the items, the total is **$12.05**.", False)
add(C, "25", qwen("25\\text{ cm}"), True)
add(C, "25", qwen("25 \\mathrm{~cm}^{2}"), True)
add(C, "60", llama("60\\text{ mph}"), True)
add(C, "60", qwen("60 \\text{ km/h}"), True)
add(C, "1.5", deepseek("1.5\\,\\text{L}"), True)
add(C, "3", qwen("3 \\text{ apples}"), True)
add(C, "2000", llama("\\$2,000"), True)
add(C, "2000", qwen("2000 \\text{ dollars}"), True)
add(C, "0.75", qwen("\\$0.75"), True)
add(C, "75", qwen("\\$0.75"), False)
add(C, "150", "The final answer is $\\boxed{\u20ac150}$.", True)
add(C, "150", "Il a pay\u00e9 150\u20ac au total.", True)
add(C, "150", qwen("150 \\text{ euros}"), True)
add(C, "150", "The total is \u00a3150.", True)
add(C, "150", "The total is \u00a3160.", False)
add(C, "10", qwen("10\\ \\text{m}"), True)
add(C, "10", llama("10 \\, \\mathrm{m/s}"), True)
add(C, "9.8", qwen("9.8 \\text{ m/s}^2"), True)
add(C, "5", deepseek("5 \\text{ hours}"), True)
add(C, "5", deepseek("6 \\text{ hours}"), False)
add(C, "36", qwen("36 \\text{ square units}"), True)
add(C, "12", llama("12 \\text{ cm}^3"), True)
add(C, "\\$3.50", qwen("3.5"), True)
add(C, "40", "She paid 40 USD.\n\n**Answer:** 40 USD", True)
add(C, "7", qwen("7\\text{ days}"), True)
add(C, "1.2\\text{ km}", qwen("1200 \\text{ m}"), False)
add(C, "250", "So the answer is 250 mL.", True)
add(C, "3.25", "Each share is \\$3.25.\n#### 3.25", True)
add(C, "500", "The total comes to Rs. 500.", True)

# ---------------------------------------------------------------------------------------------------------
# Fractions in every spelling.

C = "fraction"
styled(C, "7/3", [("\\frac{7}{3}", True), ("\\dfrac{7}{3}", True), ("\\tfrac73", True), ("2\\frac{1}{3}", True),
                  ("\\frac{14}{6}", True), ("7 / 3", True), ("2.333", False), ("\\frac{3}{7}", False)])
styled(C, "-7/3", [("-\\frac{7}{3}", True), ("\\frac{-7}{3}", True), ("\\frac{7}{-3}", True),
                   ("-2\\frac{1}{3}", True), ("\\frac{7}{3}", False)])
styled(C, "\\frac{1}{2}", [("0.5", True), ("1/2", True), ("\\frac12", True), ("\\frac{2}{4}", True),
                           ("\\frac{1}{3}", False)])
add(C, "\\frac{3}{4}", "The answer is 3/4.", True)
add(C, "\\frac{3}{4}", qwen("75\\%"), True)
add(C, "\\dfrac{5}{12}", qwen("\\frac{5}{12}"), True)
add(C, "1\\frac{1}{2}", qwen("\\frac{3}{2}"), True)
add(C, "1\\frac{1}{2}", llama("1.5"), True)
add(C, "-\\frac{1}{2}", qwen("-0.5"), True)
add(C, "-\\frac{1}{2}", qwen("0.5"), False)
add(C, "\\frac{\\sqrt{3}}{2}", qwen("\\frac{1}{2}\\sqrt{3}"), True)
add(C, "\\frac{\\sqrt{3}}{2}", deepseek("\\frac{\\sqrt3}2"), True)
add(C, "7/3", "Dividing both sides by 3 gives x = 7/3.\n#### 7/3", True)
add(C, "\\frac{7}{3}", "Dividing both sides by 3, we get x = 7/3.", True)
add(C, "\\frac{1}{6}", qwen("\\cfrac{1}{6}"), True)
add(C, "3/8", qwen("\\frac{8}{3}"), False)
add(C, "\\frac{7}{3}", qwen("2\\frac{2}{3}"), False)
add(C, "\\frac{7}{3}", "The mixed number is 2 1/3, so the answer is 2 1/3.", True)
add(C, "\\frac{7}{3}", qwen("\\left.\\frac{7}{3}\\right."), True)
add(C, "2\\tfrac{1}{4}", minerva("\\frac{9}{4}"), True)
add(C, "\\frac{9}{4}", minerva("2 \\frac{1}{4}"), True)

# ---------------------------------------------------------------------------------------------------------
# Where the answer is: Minerva, Qwen, Llama and DeepSeek endings.

C = "minerva_style"
add(C, "2340", "The total is $2,340$.\nFinal Answer: The final answer is $2,340$. I hope it is correct.", True)
add(C, "2,340", "Final Answer: The final answer is $2340$. I hope it is correct.", True)
add(C, "\\frac{1}{4}", "Final Answer: The final answer is $\\frac{1}{4}$. I hope it is correct.", True)
add(C, "5", "Final Answer: The final answer is $6$. I hope it is correct.", False)
add(C, "(2,3)", "Final Answer: The final answer is $(2,3)$. I hope it is correct.", True)
add(C, "10", "Final Answer: The final answer is 10. I hope it is correct.", True)
add(C, "\\text{(B)}", "Final Answer: The final answer is $\\text{(B)}$. I hope it is correct.", True)
add(C, "x^2+2x+1", "Final Answer: The final answer is $(x+1)^2$. I hope it is correct.", True)
add(C, "4", "Final Answer: The final answer is $4$ I hope it is correct.", True)
add(C, "\\$18.90", "Final Answer: The final answer is $\\$18.90$. I hope it is correct.", True)
add(C, "18.90", "Final Answer: The final answer is \\$18.90. I hope it is correct.", True)
add(C, "7", "Final Answer: The final answer is $7$. I hope it is correct.\n\nProblem:\nWhat is $3+5$?\n\n"
            "Solution:\nWe add to get $8$.\nFinal Answer: The final answer is $8$. I hope it is correct.", True)
add(C, "8", "Final Answer: The final answer is $7$. I hope it is correct.\n\nProblem:\nWhat is $3+5$?\n\n"
            "Solution:\nWe add to get $8$.\nFinal Answer: The final answer is $8$. I hope it is correct.", False)
add(C, "-\\frac{3}{2}", "Final Answer: The final answer is $-\\dfrac{3}{2}$. I hope it is correct.", True)

C = "qwen_style"
add(C, "5", "To find the number we subtract: 12 - 7 = 5.\n\nThus, the answer is $\\boxed{5}$.", True)
add(C, "5", "To find the number we subtract: 12 - 7 = 5.\n\nThus, the answer is $\\boxed{5}$.<|im_end|>", True)
add(C, "36", qwen_display("36"), True)
add(C, "36", qwen_display("35"), False)
add(C, "\\frac{2}{3}", "### Final Answer\n\\[\n\\boxed{\\dfrac{2}{3}}\n\\]", True)
add(C, "\\frac{2}{3}", "### Final Answer\nThe probability is \\(\\boxed{\\dfrac{2}{3}}\\).", True)
add(C, "12", "<think>\nLet me compute 3 times 4, which is 12.\n</think>\n\nThe product is $\\boxed{12}$.", True)
add(C, "12", "<think>\nFirst guess: \\boxed{11}? No, 3 times 4 is 12.\n</think>\n\nThe product is $\\boxed{12}$.", True)
add(C, "11", "<think>\nFirst guess: \\boxed{11}? No, 3 times 4 is 12.\n</think>\n\nThe product is $\\boxed{12}$.", False)
add(C, "8", "Step 1: 2^3 = 8.\n\nSo, the final answer is \\boxed{8}.", True)
add(C, "\\sqrt{2}", "\\[\n\\boxed{\\sqrt{2}}\n\\]", True)
add(C, "3\\sqrt{2}", "Simplifying, $\\sqrt{18} = 3\\sqrt{2}$.\n\nThe final answer is $\\boxed{\\sqrt{18}}$.", True)
add(C, "x=3", "Solving gives $x = 3$.\n\nThe final answer is \\(\\boxed{x = 3}\\).", True)
add(C, "100", "**Final Answer**\n\n\\boxed{100}", True)
add(C, "100", "**Final Answer**\n\n\\boxed{1000}", False)

C = "llama_style"
add(C, "5", llama("5"), True)
add(C, "5", llama("4"), False)
add(C, "5", llama_hope("5"), True)
add(C, "\\frac{1}{3}", llama("\\frac{1}{3}"), True)
add(C, "5", "The final answer is: $\\boxed{5}$<|eot_id|>", True)
add(C, "5", "## Step 3: Conclusion\nThe number of apples left is 5.\n\nThe final answer is: 5", True)
add(C, "12", "## Step 4: Calculate the area\nThe area is $3 \\times 4 = 12$.\n\nThe final answer is: $\\boxed{12}$", True)
add(C, "2", "## Step 2: Solve for x\n$x = 2$\n\nThe final answer is: $\\boxed{2}$", True)
add(C, "-1", "The final answer is $\\boxed{-1}$. I hope it is correct.", True)
add(C, "\\pi", "The final answer is: $\\boxed{\\pi}$", True)
add(C, "\\pi", "The final answer is: $\\boxed{3.14}$", False)
add(C, "20", "Therefore, the final answer is: $\\boxed{20}$. I hope it is correct.<|eot_id|><|start_header_id|>user"
            "<|end_header_id|>\n\nWhat is 5 times 5?<|eot_id|>", True)

C = "deepseek_style"
add(C, "5", deepseek("5"), True)
add(C, "5", deepseek("6"), False)
add(C, "7", "<think>\nThe sum is 3 + 4 = 7. I am confident: \\boxed{7}.\n</think>\n\nThe answer is 7.", True)
add(C, "7", "<think>\nHmm, 3 + 4... that's 7. Wait, let me double check. Yes, 7.\n</think>\n\n"
            "**Solution:** Adding gives $3 + 4 = 7$.\n\n\\boxed{7}<\uff5cend\u2581of\u2581sentence\uff5c>", True)
add(C, "7", "<think>\nMaybe \\boxed{7}. Let me check again: 3 + 4", False)
add(C, "5", "<think>\nLet me see, 2 + 3 = 5, so \\boxed{5}\n</think>\n\nThe final answer is $\\boxed{6}$.", False)
add(C, "6", "<think>\nLet me see, 2 + 3 = 5, so \\boxed{5}\n</think>\n\nThe final answer is $\\boxed{6}$.", True)
add(C, "\\frac{1}{2}", "Okay, so I need the probability of heads. There are two outcomes.\n</think>\n\n"
            "The probability is $\\boxed{\\dfrac{1}{2}}$.", True)
add(C, "24", "<think>\n4! = 24\n</think>\nThere are $4! = 24$ arrangements.\n\n**Final Answer**\nThe number of "
            "arrangements is \\boxed{24}.", True)
add(C, "(1,2)", deepseek("(1, 2)"), True)
add(C, "(1,2)", deepseek("(2, 1)"), False)
add(C, "10", "<think>\nThe answer should be 10.\n</think>\n\nThe answer is $10$.", True)
add(C, "9", "<think>\nI think it's 9 but I'm running out of", False)

# ---------------------------------------------------------------------------------------------------------
# Chat-template debris after the answer.

C = "chat_template"
add(C, "5", "The answer is 5.<|im_end|>", True)
add(C, "5", "The answer is 5<|im_start|>user\nCan you also compute 2+2?<|im_end|>", True)
add(C, "5", "Thus the answer is $\\boxed{5}$<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
            "<|im_start|>assistant\n\\boxed{4}", True)
add(C, "4", "Thus the answer is $\\boxed{5}$<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
            "<|im_start|>assistant\n\\boxed{4}", False)
add(C, "12", "The answer is 12<|im_start|>user", True)
add(C, "7", "So the answer is 7.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nNow what is 3+5?", True)
add(C, "42", "6 * 7 = 42\n#### 42<|endoftext|>", True)
add(C, "42", "6 * 7 = 42\n#### 42<|endoftext|>Question: what is 6 * 8?\nAnswer: 48", True)
add(C, "9", "So we get \\boxed{9}</s>", True)
add(C, "9", "The answer is 9</s><s>[INST] Now what is 10 + 1? [/INST] The answer is 11", True)
add(C, "3", "<|im_start|>assistant\nThe answer is $\\boxed{3}$<|im_end|>", True)
add(C, "8", "The final answer is 8 <|end_of_text|>", True)
add(C, "15", "Answer: 15<|endoftext|>Human: what about 16?", True)
add(C, "15", "Answer: 15\n\nHuman: Thanks! And what is 4 times 4?\n\nAssistant: 4 times 4 is 16.", True)
add(C, "16", "Answer: 15\n\nHuman: Thanks! And what is 4 times 4?\n\nAssistant: 4 times 4 is 16.", False)
add(C, "\\frac{1}{2}", "$\\boxed{\\frac{1}{2}}$<|im_end|><|endoftext|>", True)
add(C, "6", "The answer is $\\boxed{6}$.<|end|><|user|>\nAnother question: 7 + 7?<|end|>", True)
add(C, "6", "The answer is 6.\n\nQuestion: A farmer has 10 cows and sells 3. How many are left?\n"
            "Answer: 7", True)

# ---------------------------------------------------------------------------------------------------------
# Sentence answers and committed vs. uncommitted answers.

C = "sentence_answer"
add(C, "5", "The answer is that the train left 5 hours ago.", True)
add(C, "5", "Working backwards from the arrival time, the train left 5 hours ago.", True)
add(C, "12", "The answer is: there are 12 students in the class.", True)
add(C, "12", "The answer is: there are 13 students in the class.", False)
add(C, "3", "So, the answer is 3 because 1 + 2 = 3.", True)
add(C, "40", "The answer is 40, which is the number of pages she read.", True)
add(C, "6", "Thus Tom has 6 marbles left after giving away 4.", False)
add(C, "4", "Thus Tom gives away 2 marbles and has 4 left.", True)
add(C, "5", "The answer is five.", True)
add(C, "12", "The answer is twelve.", True)
add(C, "12", "The answer is eleven.", False)
add(C, "20", "The final answer is that she needs 20 more dollars.", True)
add(C, "8", "Final answer: Sam will have 8 cookies.", True)

C = "uncommitted"
add(C, "5", "The answer is $\\boxed{5", False)
add(C, "5", "\\boxed{}", False)
add(C, "5", "I'm not sure how to solve this.", False)
add(C, "5", "The answer is \\boxed{6}<|im_end|><|im_start|>user\nNo, it's 5.<|im_end|>", False)
add(C, "5", "At first I thought \\boxed{5}, but that is wrong. The correct answer is \\boxed{6}.", False)
add(C, "4", "Answer: $\\boxed{4}$", True)
add(C, "5", "<think>\nIt could be 5, or maybe", False)
add(C, "5", "Let me think. \\boxed{5} is tempting, but checking shows it fails, so the answer is "
            "\\boxed{\\text{none}}.", False)
add(C, "3", "We need to find x. Let's set up the equation: 2x + 1 = \\boxed{", False)

# ---------------------------------------------------------------------------------------------------------
# Several answers.

C = "multiple_answers"
add(C, "(1, 3), (4, 3)", "The solutions are $\\boxed{(1, 3)} \\quad \\text{and} \\quad \\boxed{(4, 3)}$.", True)
add(C, "(1, 3), (4, 3)", "The solutions are $\\boxed{(4, 3)}$ and $\\boxed{(1, 3)}$.", True)
add(C, "(1, 3), (4, 3)", "The solution is $\\boxed{(4, 3)}$.", False)
add(C, "(1, 3), (4, 3)", "The solutions are $\\boxed{(1,3),(4,3)}$.", True)
add(C, "(1, 3), (4, 3)", "The solutions are $\\boxed{(3,1),(3,4)}$.", False)
add(C, "{2,5}", "The roots are $\\boxed{2}$ and $\\boxed{5}$.", True)
add(C, "{2,5}", "\\boxed{2} and \\boxed{5}", True)
add(C, "{2,5}", "So $x=\\boxed{2}$ or $x=\\boxed{5}$.", True)
add(C, "{2,5}", "\\boxed{5}, \\boxed{2}", True)
add(C, "{2,5}", "The root is $\\boxed{2}$.", False)
add(C, "{2,5}", "The answer is $\\boxed{2.5}$.", False)
add(C, "x_1 = -1, x_2 = 3", "The roots are $\\boxed{-1}$ and $\\boxed{3}$.", True)
add(C, "x_1 = -1, x_2 = 3", "\\boxed{x=-1} \\text{ or } \\boxed{x=3}", True)
add(C, "x_1 = -1, x_2 = 3", "The roots are $\\boxed{-1}$.", False)
add(C, "x_1 = -1, x_2 = 3", qwen("-1, 3"), True)
add(C, "x_1 = -1, x_2 = 3", qwen("3, -1"), True)
add(C, "x_1 = -1, x_2 = 3", qwen("x_1 = 3, x_2 = -1"), True)
add(C, "x_1 = -1, x_2 = 3", qwen("-1, 2"), False)
add(C, "5", qwen("5, 5"), True)
add(C, "5", qwen("2, 5"), False)
add(C, "5", qwen("\\{5\\}"), True)
add(C, "5", qwen("x = 5"), True)
add(C, "5", "$\\boxed{5}$ and $\\boxed{5}$", True)
add(C, "5", qwen("x = 5 \\text{ or } x = -5"), False)
add(C, "2, -3", qwen("-3, 2"), True)
add(C, "2, -3", qwen("x=2 \\text{ or } x=-3"), True)
add(C, "2, -3", qwen("x = -3, 2"), True)
add(C, "2, -3", qwen("2, 3"), False)
add(C, "\\{1, 2, 3\\}", qwen("\\{3,2,1\\}"), True)
add(C, "\\{1, 2, 3\\}", qwen("1, 2, 3"), True)
add(C, "\\{1, 2, 3\\}", qwen("\\{1,2\\}"), False)
add(C, "(1, 2)", qwen("(2, 1)"), False)
add(C, "1, 2", qwen("2, 1"), True)
add(C, "1,2,3", "\\boxed{1}, \\boxed{2}, \\boxed{3}", True)
add(C, "15", "At first I got $\\boxed{40}$ but that is wrong. Rechecking, the answer is $\\boxed{15}$.", True)
add(C, "40", "At first I got $\\boxed{40}$ but that is wrong. Rechecking, the answer is $\\boxed{15}$.", False)
add(C, "\\pm 2", "The solutions are $x = \\boxed{2}$ and $x = \\boxed{-2}$.", True)
add(C, "\\pm 2", qwen("2"), False)
add(C, "-2, 2", qwen("\\pm 2"), True)
add(C, "1, -1, 2", "The roots are \\(\\boxed{-1}\\), \\(\\boxed{1}\\), and \\(\\boxed{2}\\).", True)
add(C, "1, -1, 2", "The roots are \\(\\boxed{-1}\\), \\(\\boxed{1}\\), and \\(\\boxed{3}\\).", False)

# ---------------------------------------------------------------------------------------------------------
# Labelled and relational golds.

C = "labelled"
add(C, "5:13", qwen("A_{1}:A_{2}=5:13"), True)
add(C, "5:13", qwen("5:13"), True)
add(C, "5:13", qwen("10:26"), True)
add(C, "5:13", qwen("13:5"), False)
add(C, "5:13", qwen("\\frac{5}{13}"), True)
add(C, "1:2:3", qwen("2:4:6"), True)
add(C, "1:2:3", qwen("1:3:2"), False)
add(C, "P(x)=0orP(x)=2", qwen("P(n) = 0 \\text{ and } P(n) = 2"), True)
add(C, "P(x)=0orP(x)=2", qwen("P(n) = 0"), False)
add(C, "P(x)=0orP(x)=2", qwen("P(x) = 0 \\text{ or } P(x) = 3"), False)
add(C, "x = 5", qwen("5"), True)
add(C, "x = 5", qwen("x=5"), True)
add(C, "x = 5", qwen("y = 5"), False)
add(C, "x = 5", qwen("5 = x"), True)
add(C, "k = 4", "The value of $k$ is $\\boxed{4}$.", True)
add(C, "f(x) = 2x + 1", qwen("2x+1"), True)
add(C, "f(x) = 2x + 1", qwen("f(x)=1+2x"), True)
add(C, "f(x) = 2x + 1", qwen("f(x)=2x-1"), False)
add(C, "y = 2x + 3", qwen("2x - y + 3 = 0"), True)
add(C, "a = 2, b = 3", qwen("a = 2, b = 3"), True)
add(C, "a = 2, b = 3", qwen("b = 3, a = 2"), True)
add(C, "a = 2, b = 3", qwen("(2, 3)"), True)
add(C, "a = 2, b = 3", qwen("a = 3, b = 2"), False)
add(C, "17", qwen("m+n=17"), True)
add(C, "AB = 10", qwen("10"), True)
add(C, "AB = 10", qwen("AB = 10\\text{ cm}"), True)
add(C, "\\angle ABC = 45^\\circ", qwen("45^\\circ"), True)
add(C, "\\angle ABC = 45^\\circ", qwen("\\angle ABC = 45^{\\circ}"), True)
add(C, "\\angle ABC = 45^\\circ", qwen("60^\\circ"), False)
add(C, "x = 2, y = -1", qwen("(2,-1)"), True)
add(C, "(x, y) = (2, -1)", qwen("(2, -1)"), True)
add(C, "t = 3 \\text{ s}", "It takes 3 seconds.\n\n**Answer:** 3", True)
add(C, "p = \\frac{1}{2}", qwen("0.5"), True)
add(C, "P(x) = x^2 - 1", qwen("P(n) = n^2 - 1"), True)

C = "relational"
add(C, "(0,2)", qwen("0<g(x)<2"), True)
add(C, "(0,2)", qwen("0 < f(x) < 2"), True)
add(C, "(0,2)", qwen("[0,2]"), False)
add(C, "(0,2)", qwen("0 \\le g(x) \\le 2"), False)
add(C, "0<f(x)<1", qwen("(0,1)"), True)
add(C, "0<f(x)<1", qwen("(0,2)"), False)
add(C, "[3, \\infty)", qwen("x \\geq 3"), True)
add(C, "[3, \\infty)", qwen("x > 3"), False)
add(C, "[3, \\infty)", qwen("[3,+\\infty)"), True)
add(C, "x \\le 3", qwen("(-\\infty, 3]"), True)
add(C, "(-\\infty, -2) \\cup (3, \\infty)", qwen("x < -2 \\text{ or } x > 3"), True)
add(C, "(-\\infty, -2) \\cup (3, \\infty)", qwen("(3,\\infty)\\cup(-\\infty,-2)"), True)
add(C, "(-\\infty, -2) \\cup (3, \\infty)", qwen("(-\\infty,-2]\\cup(3,\\infty)"), False)
add(C, "(-\\infty, -2) \\cup (3, \\infty)", qwen("x < -2 \\text{ or } x \\geq 3"), False)
add(C, "-2 < x < 5", qwen("(-2, 5)"), True)
add(C, "-2 < x < 5", qwen("x \\in (-2, 5)"), True)
add(C, "(1, 4]", qwen("1 < x \\leq 4"), True)
add(C, "(1, 4]", qwen("4 \\geq x > 1"), True)
add(C, "(1, 4]", qwen("1 \\le x < 4"), False)
add(C, "\\mathbb{R}", qwen("(-\\infty, \\infty)"), True)
add(C, "(-\\infty,\\infty)", qwen("\\text{all real numbers}"), True)
add(C, "x > 2", qwen("x>2"), True)
add(C, "x > 2", qwen("2 < x"), True)
add(C, "x > 2", qwen("(2, \\infty)"), True)
add(C, "[-1, 1]", qwen("-1 \\le x \\le 1"), True)
add(C, "[-1, 1]", qwen("-1 < x < 1"), False)
add(C, "(-\\infty, 1) \\cup (1, \\infty)", qwen("x \\neq 1"), True)

C = "tuple"
add(C, "(1, 2)", qwen("(1; 2)"), True)
add(C, "(1;2)", qwen("(1, 2)"), True)
add(C, "(1, 2, 3)", qwen("(1;2;3)"), True)
add(C, "(1, 2, 3)", qwen("(3;2;1)"), False)
add(C, "(1.5, 2)", qwen("(1,5; 2)"), True)
add(C, "(1.5, 2)", qwen("(1,5; 3)"), False)
add(C, "(2, -1)", qwen("\\left( 2, -1 \\right)"), True)
add(C, "(2,-1)", "The intersection point is $(2, -1)$.", True)
add(C, "(3, 4)", qwen("(4, 3)"), False)
add(C, "\\left(\\frac{1}{2}, 3\\right)", qwen("(0.5, 3)"), True)
add(C, "(0, -2)", qwen("(0,-2)"), True)
add(C, "(-1, 4)", "So the vertex is at \\((-1, 4)\\).", True)

# ---------------------------------------------------------------------------------------------------------
# Expressions to evaluate: matrix arithmetic, bases, percent, arithmetic.

C = "evaluate"
add(C, "\\begin{pmatrix} 4 & 6 \\\\ 4 & 6 \\end{pmatrix}",
    qwen("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} + \\begin{pmatrix} 3 & 4 \\\\ 1 & 2 \\end{pmatrix}"), True)
add(C, "\\begin{pmatrix} 4 & 6 \\\\ 4 & 6 \\end{pmatrix}",
    qwen("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} - \\begin{pmatrix} 3 & 4 \\\\ 1 & 2 \\end{pmatrix}"), False)
add(C, "\\begin{pmatrix} 2 & 1 \\\\ 4 & 3 \\end{pmatrix}",
    qwen("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} \\begin{pmatrix} 0 & 1 \\\\ 1 & 0 \\end{pmatrix}"), True)
add(C, "\\begin{pmatrix} 2 & 1 \\\\ 4 & 3 \\end{pmatrix}",
    qwen("\\begin{pmatrix} 0 & 1 \\\\ 1 & 0 \\end{pmatrix} \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"), False)
add(C, "\\begin{pmatrix} 2 & 4 \\\\ 6 & 8 \\end{pmatrix}",
    qwen("2\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"), True)
add(C, "\\begin{pmatrix}1\\\\2\\end{pmatrix} + \\begin{pmatrix}3\\\\4\\end{pmatrix}",
    qwen("\\begin{pmatrix}4\\\\6\\end{pmatrix}"), True)
add(C, "\\begin{pmatrix}1\\\\2\\end{pmatrix} + \\begin{pmatrix}3\\\\4\\end{pmatrix}",
    qwen("\\begin{pmatrix}4\\\\7\\end{pmatrix}"), False)
add(C, "\\begin{pmatrix} 1 & 2 \\\\ 0 & 1 \\end{pmatrix}",
    qwen("\\begin{pmatrix} 1 & 1 \\\\ 0 & 1 \\end{pmatrix}^2"), True)
add(C, "\\begin{pmatrix} 7 \\\\ 3 \\end{pmatrix}",
    qwen("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}\\begin{pmatrix} -11 \\\\ 9 \\end{pmatrix}"), True)
add(C, "\\begin{pmatrix} 5 \\\\ -1 \\end{pmatrix}",
    qwen("\\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix} + 3 \\begin{pmatrix} 1 \\\\ -\\frac{2}{3} \\end{pmatrix}"), True)
add(C, "312_4", qwen("312_4"), True)
add(C, "312_4", qwen("312_{4}"), True)
add(C, "312_4", qwen("312"), True)
add(C, "312_4", qwen("54"), True)
add(C, "312_4", qwen("313_4"), False)
add(C, "312_4", qwen("213_4"), False)
add(C, "54", qwen("312_4"), True)
add(C, "1011_2", qwen("1011_{2}"), True)
add(C, "1011_2", qwen("11"), True)
add(C, "1011_2", qwen("1011"), True)
add(C, "1011_2", qwen("1101_2"), False)
add(C, "15\\%", qwen("15 pct"), True)
add(C, "15\\%", qwen("15\\%"), True)
add(C, "15\\%", qwen("15"), True)
add(C, "15\\%", qwen("0.15"), True)
add(C, "15\\%", qwen("15 \\text{ percent}"), True)
add(C, "15\\%", qwen("16\\%"), False)
add(C, "15", qwen("15\\%"), True)
add(C, "0.15", qwen("15\\%"), True)
add(C, "1024", qwen("2^{10}"), True)
add(C, "6", qwen("3!"), True)
add(C, "10", qwen("\\binom{5}{2}"), True)
add(C, "7", qwen("2 \\cdot 3 + 1"), True)
add(C, "4", qwen("\\sqrt{16}"), True)
add(C, "12", qwen("3 \\times 4 = 12"), True)
add(C, "-1", qwen("i^2"), True)
add(C, "\\frac{1}{3}", qwen("0.\\overline{3}"), True)
add(C, "\\frac{7}{3}", qwen("2.\\overline{3}"), True)
add(C, "\\frac{1}{3}", qwen("0.333"), False)
add(C, "\\frac{1}{11}", qwen("0.\\overline{09}"), True)

# ---------------------------------------------------------------------------------------------------------
# A gold that is a whole solution (MATH, GSM8K, Minerva): its answer is found the way a completion's is.

C = "gold_solution"
MATH_SOL = "We have $3x + 2 = 11$, so $3x = 9$ and $x = \\boxed{3}$."
add(C, MATH_SOL, qwen("3"), True)
add(C, MATH_SOL, qwen("4"), False)
GSM_SOL = ("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips "
           "altogether in April and May.\n#### 72")
add(C, GSM_SOL, "Natalia sold 24 clips in May, so 48 + 24 = 72 in total.\n#### 72", True)
add(C, GSM_SOL, "Natalia sold 24 clips in May.\n#### 24", False)
MINERVA_SOL = "Adding the three amounts gives $2,340$.\nFinal Answer: The final answer is $2,340$. I hope it is correct."
add(C, MINERVA_SOL, qwen("2340"), True)
add(C, MINERVA_SOL, qwen("234"), False)
TWO_BOX = ("Substituting back, both $(1,3)$ and $(4,3)$ satisfy the system, so the solutions are "
           "$\\boxed{(1,3)}$ and $\\boxed{(4,3)}$.")
add(C, TWO_BOX, "The solutions are $(1, 3)$ and $(4, 3)$, i.e. $\\boxed{(1, 3), (4, 3)}$.", True)
add(C, TWO_BOX, qwen("(1, 3)"), False)
NO_BOX = "Dividing both sides by $3$, the answer is $\\frac{7}{3}$."
add(C, NO_BOX, qwen("\\frac{7}{3}"), True)
add(C, NO_BOX, qwen("\\frac{3}{7}"), False)
TEXT_SOL = "Counting forward 15 days from Sunday lands on $\\boxed{\\text{Monday}}$."
add(C, TEXT_SOL, qwen("\\text{Monday}"), True)
add(C, TEXT_SOL, qwen("\\text{Sunday}"), False)
HOURS = "The train travelled 300 km at 60 km/h, so it left 5 hours ago. The answer is 5 hours."
add(C, HOURS, "So the train left 5 hours ago.", True)
add(C, HOURS, qwen("6"), False)
FBOX = "Expanding and collecting terms gives \\fbox{$x^2 - 1$}."
add(C, FBOX, qwen("(x-1)(x+1)"), True)
HALF = "By symmetry the probability is $\\boxed{\\frac{1}{2}}.$"
add(C, HALF, qwen("0.5"), True)
add(C, HALF, qwen("0.25"), False)

# ---------------------------------------------------------------------------------------------------------
# LaTeX spacing, styling and delimiter commands.

C = "latex_layout"
add(C, "5", qwen("x\\!=\\!5"), True)
add(C, "(1, 2)", qwen("\\left( 1, 2 \\right)"), True)
add(C, "\\frac{1}{2}", qwen("\\displaystyle \\frac{1}{2}"), True)
add(C, "3", qwen("3 \\quad \\text{cm}"), True)
add(C, "7", qwen("\\hspace{1mm}7"), True)
add(C, "7", qwen("\\, 7 \\,"), True)
add(C, "7", qwen("\\mathbf{7}"), True)
add(C, "7", qwen("\\textbf{7}"), True)
add(C, "7", qwen("\\mathrm{7}"), True)
add(C, "7", qwen("{7}"), True)
add(C, "7", qwen("\\;7\\;"), True)
add(C, "7", qwen("7\\ "), True)
add(C, "\\frac{1}{2}", qwen("\\frac{1}{2}\\,\\text{m}"), True)
add(C, "\\frac{1}{2}", qwen("\\tfrac{1}{2}"), True)
add(C, "\\frac{\\sqrt{3}}{2}", qwen("\\dfrac{\\sqrt{3}}{2}"), True)
add(C, "\\frac{1}{2}", qwen("\\sqrt{\\tfrac{1}{4}}"), True)
add(C, "7", "\\[ \\boxed{ 7 } \\]", True)
add(C, "7", qwen("\\phantom{0}7"), True)
add(C, "7\\%", qwen("7 \\, \\%"), True)
add(C, "7", qwen("\\textstyle 7"), True)
add(C, "7", qwen("\\mathit{x} = 7"), True)
add(C, "7", qwen("7~\\text{cm}"), True)
add(C, "7", qwen("\\mbox{7}"), True)
add(C, "7", qwen("\\color{blue} 7"), True)
add(C, "7", qwen("{\\bf 7}"), True)
add(C, "8", qwen("\\mathbf{7}"), False)
add(C, "2\\sqrt{2}", qwen("2 \\sqrt{ 2 }"), True)
add(C, "\\frac{\\pi}{4}", qwen("\\dfrac{\\pi}{4}"), True)
add(C, "\\frac{\\pi}{4}", qwen("\\dfrac{\\pi}{2}"), False)

# ---------------------------------------------------------------------------------------------------------
# Text answers, choices, degrees, symbolic answers.

C = "text"
add(C, "\\text{Yes}", qwen("\\text{yes}"), True)
add(C, "\\text{Yes}", qwen("Yes"), True)
add(C, "\\text{Yes}", "Since every case works, the answer is yes.", True)
add(C, "\\text{Yes}", qwen("\\text{No}"), False)
add(C, "no", "**Answer:** No", True)
add(C, "\\text{Tuesday}", qwen("\\textbf{Tuesday}"), True)
add(C, "\\text{even}", qwen("\\text{Even}"), True)
add(C, "\\text{even}", qwen("\\text{odd}"), False)
add(C, "\\text{no solution}", qwen("\\text{No solution}"), True)
add(C, "\\text{East}", qwen("\\text{east}"), True)
add(C, "\\text{East}", qwen("\\text{west}"), False)
add(C, "Alice", qwen("\\text{Alice}"), True)
add(C, "Alice", qwen("\\text{Bob}"), False)
add(C, "\\text{(C)}", "The correct option is (C).", True)

C = "choice"
add(C, "B", "The answer is (B).", True)
add(C, "B", qwen("B"), True)
add(C, "B", qwen("\\text{(B)}"), True)
add(C, "B", "Comparing the options, the correct option is (B) 42.", True)
add(C, "B", qwen("(C)"), False)
add(C, "B", "Answer: B) 12", True)
add(C, "(D)", "The final answer is $\\boxed{D}$.", True)
add(C, "(D)", "The final answer is $\\boxed{\\textbf{(D)}\\ 17}$.", True)
add(C, "(D)", "The final answer is $\\boxed{\\textbf{(A)}\\ 17}$.", False)

C = "degree"
add(C, "45^\\circ", qwen("45"), True)
add(C, "45^\\circ", qwen("45\u00b0"), True)
add(C, "45^\\circ", qwen("\\frac{\\pi}{4}"), True)
add(C, "45^\\circ", qwen("45 \\text{ degrees}"), True)
add(C, "45^\\circ", qwen("135^\\circ"), False)
add(C, "30", qwen("30^{\\circ}"), True)

C = "symbolic"
add(C, "x^2 - 1", qwen("(x-1)(x+1)"), True)
add(C, "x^2 - 1", qwen("(x-1)^2"), False)
add(C, "2\\sqrt{6}", qwen("\\sqrt{24}"), True)
add(C, "\\frac{\\sqrt{2}}{2}", qwen("\\frac{1}{\\sqrt{2}}"), True)
add(C, "3\\pi", qwen("3 \\pi"), True)
add(C, "4\\pi", qwen("12.566"), False)
add(C, "\\frac{x+1}{2}", qwen("\\frac{1}{2}x + \\frac{1}{2}"), True)
add(C, "e^{2}", qwen("e^2"), True)

# ---------------------------------------------------------------------------------------------------------
# A second pass over the same categories, written after the fixes, as a check that they generalise.

add("fraction", "-0.75", "Therefore, the value of $x$ is $\\boxed{-\\dfrac{3}{4}}$.", True)
add("locale_number", "1250", "So, the total number of apples is 1,250.", True)
add("relational", "[2,5)", qwen("x \\in [2, 5)"), True)
add("labelled", "y=-0.5x+3", qwen("y = -\\frac{1}{2}x + 3"), True)
add("qwen_style", "42", "**Final Answer:** $\\boxed{42}$", True)
add("minerva_style", "42", "The answer is: \n\n$$ 42 $$", True)
add("symbolic", "10\\sqrt{2}", qwen("10 \\sqrt 2"), True)
add("multiple_answers", "3, 4", qwen("3\\text{ and }4"), True)
add("evaluate", "25\\%", qwen("25\\text{\\%}"), True)
add("unit_currency", "1250.5", qwen("\\$1{,}250.50"), True)
add("locale_number", "12345.6", qwen("12\\,345.6"), True)
add("labelled", "3:45", qwen("3:45 \\text{ PM}"), True)
add("unit_currency", "0.5", qwen("\\frac{1}{2} \\text{ hour}"), True)
add("fraction", "-\\frac{\\sqrt{3}}{2}", "The answer is $-\\frac{\\sqrt{3}}{2}$.", True)
add("relational", "x \\neq 3", qwen("(-\\infty, 3) \\cup (3, \\infty)"), True)
add("multiple_answers", "\\pm 1", qwen("\\{-1, 1\\}"), True)
add("multiple_answers", "-1, 1", qwen("x = \\pm 1"), True)
add("unit_currency", "6\\sqrt{3}", qwen("6\\sqrt{3}\\text{ cm}^2"), True)
add("choice", "C", qwen("\\textbf{(C) } 7"), True)
add("choice", "C", "The answer is C: 5", True)
add("choice", "A", "Answer: (A) 12", True)
add("choice", "A", "Answer: (B) 12", False)
add("text", "\\text{Tuesday}", "The meeting is on $\\boxed{\\text{Tuesday}}$.", True)
add("llama_style", "\\frac14", "The final answer is: $\\boxed{0.25}$", True)
add("deepseek_style", "4", "Let me verify once more.\n</think>\n\nThe answer is \\(\\boxed{4}\\).", True)
add("deepseek_style", "4", "So it is \\boxed{4}.\n\n</think>\n\n**Final Answer**\n\\boxed{4}", True)
add("labelled", "x^2+y^2=25", qwen("x^2 + y^2 = 25"), True)
add("labelled", "2x+3y=6", qwen("y = 2 - \\frac{2}{3}x"), True)
add("multiple_answers", "\\frac12, \\frac34", qwen("\\frac{3}{4}, \\frac{1}{2}"), True)
add("sentence_answer", "15", "After buying the book, she has $\\$15$ left.", True)
add("qwen_style", "120", "Thus, there are \\boxed{120} ways.", True)
add("multiple_answers", "(3,4)", "So the answer is $x = 3$ and $y = 4$.", True)
add("multiple_answers", "(3,4)", "So the answer is $x = 4$ and $y = 3$.", False)
add("fraction", "\\frac{9}{2}", qwen("4.5"), True)
add("fraction", "\\frac{9}{2}", qwen("4\\frac{1}{2}"), True)
add("fraction", "\\frac{9}{2}", qwen("4 \\frac12"), True)
add("relational", "[-4,4]", qwen("-4 \\le x \\le 4"), True)
add("relational", "(-\\infty,-1)\\cup(1,\\infty)", qwen("x<-1 \\text{ or } x>1"), True)
add("relational", "(-\\infty,-1)\\cup(1,\\infty)", qwen("(-\\infty,-1)\\cup(1,+\\infty)"), True)
add("relational", "(-\\infty,\\infty)", qwen("x \\in \\mathbb{R}"), True)
add("text", "\\text{no real solutions}", qwen("\\text{No real solutions}"), True)
add("evaluate", "1011_{2}", qwen("1011_2"), True)
add("evaluate", "6.02 \\times 10^{23}", qwen("6.02e23"), True)
add("evaluate", "\\frac{1}{4}", qwen("25\\%"), True)
add("chat_template", "3", "The answer is $\\boxed{3}$.<end_of_turn>\n<start_of_turn>user\nAnd 4+4?<end_of_turn>", True)
add("chat_template", "8", "The answer is $\\boxed{3}$.<end_of_turn>\n<start_of_turn>user\nAnd 4+4?<end_of_turn>\n"
    "<start_of_turn>model\n\\boxed{8}", False)
add("qwen_style", "5", "The answer is $\\boxed{5}$ apples.", True)
add("sentence_answer", "5", "Final answer: The answer is 5", True)
add("multiple_answers", "(2,3)", qwen("x=2,\\ y=3"), True)
add("multiple_answers", "\\frac{7}{3}", qwen("\\frac{7}{3}\\text{ or }2\\frac{1}{3}"), True)
add("qwen_style", "5", "$\\boxed{5}$\n\nWait, let me double check... yes, \\boxed{5}.", True)
add("fraction", "5.0", "The answer is \\boxed{5}.", True)
add("minerva_style", "4.10", "Final Answer: The final answer is $\\$4.10$. I hope it is correct.", True)
add("latex_layout", "B", qwen("\\mathbf{(B)}"), True)
add("locale_number", "5", qwen("5."), True)
add("multiple_answers", "\\frac{5}{2}", "The answer is: $\\frac{5}{2}$ or $2.5$", True)
add("multiple_answers", "2, -3", "The solutions are $x=2$ and $x=-3$.\n\nThe answer is $x=2$ and $x=-3$.", True)
add("gold_solution", "The two numbers are $7$ and $9$, so their product is $7 \\cdot 9 = \\boxed{63}$.",
    "7 times 9 is 63.\n#### 63", True)
add("gold_solution", "He runs 3*60 = <<3*60=180>>180 meters per day.\nSo he runs 180*7 = <<180*7=1260>>1,260 "
    "meters a week.\n#### 1260", "So he runs 1,260 meters in a week.\n#### 1,260", True)
add("unit_currency", "1260", "So he runs \\boxed{1,\\!260 \\text{ meters}} each week.", True)
add("uncommitted", "63", "Let me compute 7 times 9. Hmm, that is", False)
add("percent_words", "40\\%", "The percentage is 40 percent.", True)
add("percent_words", "40\\%", "So the discount is \\boxed{40\\text{ percent}}.", True)
add("percent_words", "0.4", "The answer is 40%.", True)
add("percent_words", "40", "The answer is 40%.", True)
add("percent_words", "40\\%", "The answer is 45%.", False)

# A third pass, after the second.
add("multiple_answers", "3, 4", "The answer is $\\boxed{3}$ and $\\boxed{4}$.", True)
add("multiple_answers", "1, 2, 3", "\\boxed{1}, \\boxed{2}, \\text{and } \\boxed{3}", True)
add("qwen_style", "5", "\u6240\u4ee5\u7b54\u6848\u4e3a $\\boxed{5}$\u3002", True)
add("sentence_answer", "5", "\u7b54\u6848\uff1a5", True)
add("sentence_answer", "5", "R\u00e9ponse : 5", True)
add("evaluate", "5\\%", "So the rate is 5 percent.", True)
add("unit_currency", "5", qwen("5\\text{th}"), True)
add("choice", "B", "The answer is $\\boxed{\\textbf{(B) }12}$", True)
add("relational", "[1,\\infty)", qwen("x\\ge1"), True)
add("deepseek_style", "\\frac{3}{8}", "</think>\n\n**Final Answer**\n\\[\n\\boxed{\\dfrac{3}{8}}\n\\]", True)
add("unit_currency", "12", "The answer is \\boxed{12} \\text{ inches}.", True)
add("unit_currency", "12 inches", qwen("12"), True)
add("unit_currency", "\\text{12 inches}", qwen("12"), True)
add("locale_number", "10,000", qwen("10000"), True)
add("locale_number", "10 000", qwen("10000"), True)
add("evaluate", "0.0015", qwen("1.5\\times10^{-3}"), True)
add("multiple_answers", "\\pm 3", qwen("3 \\text{ or } -3"), True)
add("relational", "(2,\\infty)", qwen("\\{x \\mid x > 2\\}"), True)
add("relational", "(2,\\infty)", qwen("\\{x : x > 2\\}"), True)
add("relational", "(2,\\infty)", qwen("\\{x \\mid x \\ge 2\\}"), False)
add("relational", "(-\\infty,2]", qwen("x \\in (-\\infty, 2]"), True)
add("unit_currency", "1.50", qwen("\\$1.5"), True)
add("degree", "\\frac{\\pi}{2}", qwen("\\frac{\\pi}{2}\\text{ radians}"), True)
add("degree", "90^\\circ", qwen("\\frac{\\pi}{2}"), True)
add("labelled", "3x-2", qwen("y=3x-2"), True)
add("symbolic", "x^2+x-6", qwen("(x-2)(x+3)"), True)
add("labelled", "(2,-3,1)", qwen("a=2, b=-3, c=1"), True)
add("labelled", "2\\sqrt{2}", qwen("2\\sqrt{2} \\approx 2.83"), True)
add("labelled", "2\\sqrt{2}", qwen("x = 2\\sqrt{2} \\approx 2.83"), True)
add("labelled", "2.83", qwen("2\\sqrt{2} \\approx 2.83"), True)
add("labelled", "2.8", qwen("2\\sqrt{2} \\approx 2.83"), False)
add("qwen_style", "4", "Thus $k=\\boxed{4}$.", True)
add("multiple_answers", "\\frac{1}{2}", "\\boxed{\\frac{1}{2}}\\text{ or }\\boxed{0.5}", True)
add("fraction", "3/4", "Answer: 3/4", True)
add("fraction", "3/4", qwen("0.75"), True)
add("qwen_style", "72", "The total is \\(\\boxed{72}\\)", True)
add("qwen_style", "72", "$$\\boxed{72}$$", True)
add("unit_currency", "72", "She spends $72 in total.\n#### $72", True)
add("unit_currency", "72", "#### 72 dollars", True)
add("unit_currency", "72", "The answer is \\$72.00.", True)
add("unit_currency", "72", "The answer is 72.00 dollars", True)
add("latex_layout", "5", "so the result is boxed{5}", True)
add("latex_layout", "5", qwen("\\boxed{5}"), True)
add("evaluate", "\\frac{1}{2}", qwen("50\\%"), True)
add("evaluate", "50\\%", qwen("\\frac12"), True)
add("symbolic", "\\frac{\\pi}{2}", qwen("\\dfrac{1}{2}\\pi"), True)
add("symbolic", "\\sqrt{2}/2", qwen("\\frac{\\sqrt{2}}{2}"), True)
add("locale_number", "1234.5", qwen("1\\,234{,}5"), True)
add("deepseek_style", "5", "</think>\n\n**Answer:** \\(\\boxed{5}\\)", True)
add("minerva_style", "-2", "Final Answer: The final answer is $-2$.", True)
add("chat_template", "5", "The answer is 5.<|endoftext|><|endoftext|><|endoftext|>", True)
add("chat_template", "5", "The answer is 5.\n<|user|>\nWhat about 6?\n<|assistant|>\nThe answer is 6.", True)

add("fraction", "7/3", "Solving, we find x = \\frac{7}{3}", True)
add("fraction", "\\dfrac{7}{3}", "So each share is 2 \\frac{1}{3}", True)
add("fraction", "\\dfrac{7}{3}", "So each share is 2 \\frac{2}{3}", False)
add("fraction", "$7/3$", qwen("\\frac{7}{3}"), True)
add("fraction", "\u22127/3", qwen("-\\frac{7}{3}"), True)
add("fraction", "-7 / 3", qwen("\\frac{-7}{3}"), True)
add("evaluate", "312_4", qwen("312_{\\text{4}}"), True)
add("tuple", "(1; 2; 3)", qwen("(1, 2, 3)"), True)
add("labelled", "A_{1}:A_{2}=5:13", qwen("5:13"), True)
add("multiple_answers", "x_{1}=2, x_{2}=5", qwen("x_1=2,\\ x_2=5"), True)
add("evaluate", "(3,4)", qwen("\\begin{pmatrix} 3 \\\\ 4 \\end{pmatrix}"), True)
add("evaluate", "\\begin{pmatrix} 3 & 4 \\end{pmatrix}",
    qwen("\\begin{bmatrix} 1 & 2 \\end{bmatrix} + \\begin{bmatrix} 2 & 2 \\end{bmatrix}"), True)

# A fourth pass: wrong answers the lenient readings above must not reward.
add("multiple_answers", "12", "The answer is 12 or 13.", False)
add("deepseek_style", "5", "<think>\nSo \\boxed{5}.\n</think>\n\nThe answer is 6.", False)
add("chat_template", "5", "The answer is 6.<|im_end|> The answer is 5", False)
add("relational", "(0,2)", qwen("0 < x \\le 2"), False)
add("labelled", "1:2", qwen("2:1"), False)
add("labelled", "1:2", qwen("0.5"), True)
add("evaluate", "312_4", qwen("312_5"), False)
add("evaluate", "0.\\overline{3}", qwen("0.3"), False)
add("evaluate", "\\frac{1}{3}", qwen("0.\\overline{33}"), True)
add("locale_number", "2500", qwen("2 500 000"), False)
add("locale_number", "2.5", qwen("2,50"), True)
add("locale_number", "250", qwen("2,50"), False)
add("multiple_answers", "x=2", qwen("x = 2 \\text{ or } x = 3"), False)
add("sentence_answer", "10", "The answer is not 10, it is 12.", False)
add("sentence_answer", "12", "The answer is not 10, it is 12.", False)
add("sentence_answer", "10", "The answer is 10 but only when x is positive.", True)
add("multiple_answers", "\\{1,2\\}", "\\boxed{1}, \\boxed{2}, \\boxed{3}", False)
add("multiple_answers", "7", "\\boxed{7}\\boxed{8}", False)
add("labelled", "P(x)=x^2", qwen("P(x)=x^3"), False)
add("labelled", "f(x)=x^2", qwen("f(y)=y^2"), True)
add("labelled", "a_2 = 3", qwen("a_1 = 3"), False)
add("choice", "B", "\\boxed{A} or \\boxed{B}", False)
add("text", "\\text{yes}", "The answer is no.", False)
add("sentence_answer", "5", "The answer is five hundred.", False)
add("sentence_answer", "500", "The answer is five hundred.", True)


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "real_outputs.jsonl")
    counters: dict[str, int] = {}
    with open(path, "w", encoding="utf-8") as out:
        for category, gold, prediction, expected in CASES:
            counters[category] = counters.get(category, 0) + 1
            case = {"id": f"r-{category}-{counters[category]:03d}", "category": category, "gold": gold,
                    "prediction": prediction, "expected": expected}
            out.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"{len(CASES)} cases in {len(counters)} categories -> {path}")


if __name__ == "__main__":
    main()
