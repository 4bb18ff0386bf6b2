import ArgumentParser
print("grpo-lambda")
