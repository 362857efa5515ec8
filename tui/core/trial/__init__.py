"""The roll-out trial (issue 16): the integration note's order of testing, automated.

After the checklist's core steps pass, nine stages try what a team rolls out: a short
message, streaming, a long reply, a long context, Chinese, code, a multi-turn
conversation, a batch and recovery from an aborted stream. Each stage measures what
it saw and reports one ``trial.<stage>.<what>`` code with a rollback step.
"""
