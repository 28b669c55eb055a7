"""Infrastructure the domain must not know about: where files live (resources, the user's folders, a frozen
bundle), the environment, and logging set-up. No Qt, no database."""
