"""The built-in demo gateway: a simulated OpenAI-compatible API with fault scenarios.

``from tui.demo.server import DemoGateway, DEMO_KEY, SCENARIOS``. The package
has no import-time side effects and never imports textual.
"""
