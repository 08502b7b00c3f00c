"""Tests of the judging package."""
