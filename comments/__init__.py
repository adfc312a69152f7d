"""The Zôhé comment server: Isso 0.14 hardened, cached and moderated, with its commands and deployment samples."""
