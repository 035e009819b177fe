"""Forms of the complaints app: the citizen side (public.py) and the OPD side."""
