"""A person's data: /mydata reads out everything stored about them, /forgetme erases it."""
