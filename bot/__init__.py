"""The GitHub App and the command line: fetch inputs, run the engine, post results."""
